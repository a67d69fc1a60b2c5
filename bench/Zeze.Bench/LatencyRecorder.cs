using System.Diagnostics;

namespace Zeze.Bench;

/// <summary>
/// Records operation latencies into log-linear buckets (about 3 % resolution) without allocating,
/// safe for concurrent use. Start with <see cref="Start"/>, stop with <see cref="Record"/>.
/// </summary>
public sealed class LatencyRecorder
{
    // Bucket b covers [2^(b/32)... ) ticks in 32 sub-steps per power of two.
    private const int SubBuckets = 32;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public static long Start() => Stopwatch.GetTimestamp();

    public void Record(long startTimestamp) => RecordTicks(Stopwatch.GetTimestamp() - startTimestamp);

    public void RecordTicks(long ticks)
    {
        if (ticks < 1) ticks = 1;
        int log = 63 - (int)long.LeadingZeroCount(ticks);
        int sub = log >= 5 ? (int)((ticks >> (log - 5)) & (SubBuckets - 1)) : (int)(ticks << (5 - log)) & (SubBuckets - 1);
        Interlocked.Increment(ref _counts[log * SubBuckets + sub]);
    }

    /// <summary>
    /// The non-empty buckets as <c>index:count,index:count</c>, so that a server process can hand its samples to the
    /// runner, which merges them with <see cref="Import"/> (percentiles cannot be combined, bucket counts can).
    /// </summary>
    public string Export()
    {
        var parts = new List<string>();
        for (int i = 0; i < _counts.Length; i++)
        {
            long c = Interlocked.Read(ref _counts[i]);
            if (c != 0) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i}:{c}"));
        }
        return parts.Count == 0 ? "-" : string.Join(',', parts);
    }

    /// <summary>Adds the samples of an <see cref="Export"/> (of a process on the same machine: same tick frequency).</summary>
    public void Import(string exported)
    {
        if (exported == "-") return;
        foreach (string part in exported.Split(','))
        {
            int colon = part.IndexOf(':');
            int index = int.Parse(part.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture);
            long count = long.Parse(part.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
            Interlocked.Add(ref _counts[index], count);
        }
    }

    /// <summary>The latency in microseconds below which <paramref name="q"/> of the samples fall.</summary>
    public double PercentileMicros(double q)
    {
        long total = 0;
        foreach (long c in _counts) total += c;
        if (total == 0) return 0;
        long target = (long)Math.Ceiling(total * q);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                int log = i / SubBuckets, sub = i % SubBuckets;
                double ticks = Math.Pow(2, log) * (1 + sub / (double)SubBuckets);
                return ticks * 1_000_000.0 / Stopwatch.Frequency;
            }
        }
        return 0;
    }
}
