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
