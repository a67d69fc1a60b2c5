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

    public Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken) =>
        options.Raw ? RunRawAsync(options, cancellationToken) : RunFrameworkAsync(options, cancellationToken);

    /// <summary>The same operations without the framework: <see cref="RawTable"/> and one lock per record.</summary>
    protected abstract Task<WorkloadResult> RunRawAsync(BenchOptions options, CancellationToken cancellationToken);

    /// <summary>The operations as procedures of the framework, on the database of <c>--db</c>.</summary>
    protected virtual Task<WorkloadResult> RunFrameworkAsync(BenchOptions options, CancellationToken cancellationToken) =>
        throw new NotSupportedException("framework variant not yet available");
}
