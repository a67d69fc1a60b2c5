namespace Zeze.Bench.Local;

/// <summary>W5: all operations started at once over 100,000 keys; 95 % read one record, 5 % add 1 to one.</summary>
public sealed class W5ReadMostly : LocalWorkload
{
    public const int Keys = 100_000;
    public const int WritePercent = 5;

    public override string Id => "W5";

    protected override async Task<WorkloadResult> RunRawAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        var table = new RawTable(Keys);
        var latency = new LatencyRecorder();
        var outcome = await OperationRunner.AllAtOnceAsync(count, options.Concurrency, i => ReadOrWriteAsync(table, i), latency).ConfigureAwait(false);
        long expectedWrites = 0;
        for (long i = 0; i < count; i++)
            if (Pick(i).Write) expectedWrites++;
        long sum = 0;
        foreach (var (_, r) in table.Records) sum += r.Value;
        // No failed operation, and every write is there exactly once.
        bool check = outcome.NonZeroResults == 0 && sum == expectedWrites;
        return new WorkloadResult(count, outcome.Seconds, check, latency, Note: $"writes={expectedWrites}");
    }

    public static (long Key, bool Write) Pick(long index)
    {
        ulong h = OperationRunner.Mix(index, 0x5);
        return ((long)(h % Keys), (h >> 32) % 100 < WritePercent);
    }

#pragma warning disable CS1998 // completes synchronously, like a procedure without I/O
    private static async Task<long> ReadOrWriteAsync(RawTable table, long index)
#pragma warning restore CS1998
    {
        var (key, write) = Pick(index);
        var record = table.GetOrAdd(key);
        lock (record)
        {
            if (write) record.Value++;
            else if (record.Value < 0) return 1; // a read that sees an impossible value fails the procedure
        }
        return 0;
    }
}
