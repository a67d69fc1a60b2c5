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
