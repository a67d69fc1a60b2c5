namespace Zeze.Bench.Local;

/// <summary>
/// W4: all operations started at once; each moves a random amount between two random accounts out of 1000,
/// locking both in key order, and refuses (result code 1) to overdraw.
/// </summary>
public sealed class W4BankTransfer : LocalWorkload
{
    public const int Accounts = 1000;
    public const long InitialBalance = 1000;
    public const int MaxAmount = 200;

    public override string Id => "W4";

    protected override async Task<WorkloadResult> RunRawAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        var table = new RawTable(Accounts);
        for (int k = 0; k < Accounts; k++) table.GetOrAdd(k).Value = InitialBalance; // setup, not timed
        var latency = new LatencyRecorder();
        var outcome = await OperationRunner.AllAtOnceAsync(count, options.Concurrency, i => TransferAsync(table, i), latency).ConfigureAwait(false);
        long total = 0;
        bool noneNegative = true;
        foreach (var (_, r) in table.Records)
        {
            total += r.Value;
            noneNegative &= r.Value >= 0;
        }
        bool check = total == Accounts * InitialBalance && noneNegative && table.Count == Accounts;
        return new WorkloadResult(count, outcome.Seconds, check, latency, Note: $"refused={outcome.NonZeroResults}");
    }

    /// <summary>The transfer of operation <paramref name="index"/>: accounts and amount derive from the index.</summary>
    public static (long From, long To, long Amount) Pick(long index)
    {
        ulong h = OperationRunner.Mix(index);
        long from = (long)(h % Accounts);
        long to = (from + 1 + (long)((h >> 20) % (Accounts - 1))) % Accounts; // never equal to from
        long amount = 1 + (long)((h >> 40) % MaxAmount);
        return (from, to, amount);
    }

#pragma warning disable CS1998 // completes synchronously, like a procedure without I/O
    private static async Task<long> TransferAsync(RawTable table, long index)
#pragma warning restore CS1998
    {
        var (from, to, amount) = Pick(index);
        var a = table.GetOrAdd(from);
        var b = table.GetOrAdd(to);
        var (first, second) = from < to ? (a, b) : (b, a); // one global lock order: no deadlock
        lock (first)
        {
            lock (second)
            {
                if (a.Value < amount) return 1;
                a.Value -= amount;
                b.Value += amount;
                return 0;
            }
        }
    }
}
