namespace Zeze.Bench.Local;

/// <summary>W1: one caller awaits each operation in turn; each adds 1 to key 0.</summary>
public sealed class W1AddOneCaller : LocalWorkload
{
    public override string Id => "W1";

    protected override async Task<WorkloadResult> RunRawAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        var table = new RawTable(1);
        var latency = new LatencyRecorder();
        var outcome = await OperationRunner.SequentialAsync(count, _ => AddAsync(table, 0), latency).ConfigureAwait(false);
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
        long nonZero = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (long i = 0; i < count; i++)
        {
            long start = LatencyRecorder.Start();
            // Awaited one after another, on this thread: the procedures complete synchronously.
            long rc = await app.RunAsync(add, "W1");
            latency.Record(start);
            if (rc != 0) nonZero++;
        }
        if (options.Flush) await app.CheckpointNowAsync(cancellationToken).ConfigureAwait(false);
        double seconds = sw.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long value = 0;
        await f.RunAsync(async () => { value = (await table.GetAsync(0))?.Value ?? 0; return 0; }).ConfigureAwait(false);
        bool check = nonZero == 0 && value == count;
        return new WorkloadResult(count, seconds, check, latency, Note: $"alloc_bytes_per_op={(double)allocated / count:F0}");
    }

    /// <summary>An async operation that completes synchronously, as a procedure without I/O does.</summary>
#pragma warning disable CS1998 // no await on purpose: the shape of a procedure, completing synchronously
    internal static async Task<long> AddAsync(RawTable table, long key)
#pragma warning restore CS1998
    {
        var record = table.GetOrAdd(key);
        lock (record)
        {
            record.Value++;
        }
        return 0;
    }
}
