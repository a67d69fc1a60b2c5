namespace Zeze.Bench.Local;

/// <summary>
/// A local workload (W1–W5) with its two variants side by side: <see cref="RunRawAsync"/> on plain locked
/// objects and <see cref="RunFrameworkAsync"/> on the framework, so that both keep the same task structure.
/// </summary>
public abstract class LocalWorkload : IWorkload
{
    public abstract string Id { get; }

    public long DefaultCount => 1_000_000;

    public bool HasRaw => true;

    /// <summary>
    /// The most operations of the discarded warm-up run, which has the measured run's size so that the JIT has tiered
    /// up and the GC heap has grown before measuring (steady state, as for raw and framework alike).
    /// </summary>
    public const long WarmupCount = 1_000_000;

    public async Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (!options.NoWarmup)
        {
            var warmup = options.WithCount(Math.Min(WarmupCount, options.CountOr(DefaultCount)));
            _ = await (options.Raw ? RunRawAsync(warmup, cancellationToken) : RunFrameworkAsync(warmup, cancellationToken)).ConfigureAwait(false);
        }
        return await (options.Raw ? RunRawAsync(options, cancellationToken) : RunFrameworkAsync(options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The same operations without the framework: <see cref="RawTable"/> and one lock per record.</summary>
    protected abstract Task<WorkloadResult> RunRawAsync(BenchOptions options, CancellationToken cancellationToken);

    /// <summary>The operations as procedures of the framework, on the database of <c>--db</c>.</summary>
    protected virtual Task<WorkloadResult> RunFrameworkAsync(BenchOptions options, CancellationToken cancellationToken) =>
        throw new NotSupportedException("framework variant not yet available");
}
