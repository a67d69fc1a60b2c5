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

    protected override async Task<WorkloadResult> RunFrameworkAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        await using var f = await FrameworkApp.StartAsync(options).ConfigureAwait(false);
        var app = f.App;
        var table = f.Module.tValue;
        Func<ValueTask<long>> add = async () =>
        {
            (await table.GetOrAddAsync(0)).Value += 1;
            return 0;
        };
        var latency = new LatencyRecorder();
        var outcome = await f.RunAllAtOnceAsync(count, _ => add(), latency, "W2").ConfigureAwait(false);
        double seconds = outcome.Seconds;
        if (options.Flush) seconds += await FrameworkApp.TimedCheckpoint(app, cancellationToken).ConfigureAwait(false);
        long value = 0;
        await f.RunAsync(async () => { value = (await table.GetAsync(0))?.Value ?? 0; return 0; }).ConfigureAwait(false);
        return new WorkloadResult(count, seconds, outcome.NonZeroResults == 0 && value == count, latency, Note: FrameworkApp.RedoNote(app));
    }
}
