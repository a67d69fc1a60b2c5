namespace Zeze.Bench.Local;

/// <summary>W3: all operations started at once, operation i adds 1 to key i % 1000.</summary>
public sealed class W3AddSpread : LocalWorkload
{
    public const int Keys = 1000;

    public override string Id => "W3";

    protected override async Task<WorkloadResult> RunRawAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        var table = new RawTable(Keys);
        var latency = new LatencyRecorder();
        var outcome = await OperationRunner.AllAtOnceAsync(count, options.Concurrency, i => W1AddOneCaller.AddAsync(table, i % Keys), latency).ConfigureAwait(false);
        long sum = 0;
        for (int k = 0; k < Keys; k++)
            sum += table.TryGet(k, out var r) ? r!.Value : 0;
        bool check = outcome.NonZeroResults == 0 && sum == count && table.Count == Math.Min(count, Keys);
        return new WorkloadResult(count, outcome.Seconds, check, latency);
    }
}
