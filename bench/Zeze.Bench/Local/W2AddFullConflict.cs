namespace Zeze.Bench.Local;

/// <summary>W2: all operations started at once, every one adds 1 to key 0.</summary>
public sealed class W2AddFullConflict : LocalWorkload
{
    public override string Id => "W2";

    protected override async Task<WorkloadResult> RunRawAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        var table = new RawTable(1);
        var latency = new LatencyRecorder();
        var outcome = await OperationRunner.AllAtOnceAsync(count, options.Concurrency, _ => W1AddOneCaller.AddAsync(table, 0), latency).ConfigureAwait(false);
        bool check = outcome.NonZeroResults == 0 && table.GetOrAdd(0).Value == count;
        return new WorkloadResult(count, outcome.Seconds, check, latency);
    }
}
