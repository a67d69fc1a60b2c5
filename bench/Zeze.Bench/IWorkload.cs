namespace Zeze.Bench;

/// <summary>One workload of BENCHMARKS.md (W1..W5, G1..G3, N1..N3).</summary>
public interface IWorkload
{
    /// <summary>The id used with <c>--workload</c>, e.g. "W1".</summary>
    string Id { get; }

    /// <summary>Default number of operations when <c>--count</c> is not given.</summary>
    long DefaultCount { get; }

    /// <summary>True when the workload has a <c>--raw</c> variant.</summary>
    bool HasRaw { get; }

    /// <summary>False for the network workloads, which touch no database (their RESULT lines say <c>db=none</c>).</summary>
    bool UsesDatabase => true;

    /// <summary>Runs once and reports what it measured; never prints the RESULT line itself.</summary>
    Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken);
}

/// <summary>
/// What one run measured. <see cref="Check"/> is true only when the invariant was verified. <see cref="Trailer"/> is a
/// line the runner prints after the RESULT line (a target's verdict, e.g. <c>TARGET G1/W3 = 0.83 (&gt;= 0.70) PASS</c>).
/// </summary>
public sealed record WorkloadResult(long Ops, double Seconds, bool Check, LatencyRecorder? Latency = null, string? Note = null, string? Trailer = null);
