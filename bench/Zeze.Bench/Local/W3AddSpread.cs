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

    protected override async Task<WorkloadResult> RunFrameworkAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        await using var f = await FrameworkApp.StartAsync(options).ConfigureAwait(false);
        var app = f.App;
        var table = f.Module.tValue;
        Func<long, ValueTask<long>> add = async key =>
        {
            (await table.GetOrAddAsync(key)).Value += 1;
            return 0;
        };
        var latency = new LatencyRecorder();
        var outcome = await f.RunAllAtOnceAsync(count, i => add(i % Keys), latency, "W3").ConfigureAwait(false);
        double seconds = outcome.Seconds;
        if (options.Flush) seconds += await FrameworkApp.TimedCheckpoint(app, cancellationToken).ConfigureAwait(false);
        long sum = 0;
        await f.RunAsync(async () =>
        {
            for (long k = 0; k < Keys; k++) sum += (await table.GetAsync(k))?.Value ?? 0;
            return 0;
        }).ConfigureAwait(false);
        return new WorkloadResult(count, seconds, outcome.NonZeroResults == 0 && sum == count, latency, Note: FrameworkApp.RedoNote(app));
    }
}
