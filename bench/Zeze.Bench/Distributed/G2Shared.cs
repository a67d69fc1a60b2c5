using System.Globalization;
using Zeze.Bench.Local;

namespace Zeze.Bench.Distributed;

/// <summary>
/// G2: both servers run W4 (<c>--count</c> bank transfers each, default 1,000,000) over the same 1000 accounts at once:
/// a transfer that needs an account the other server holds waits for the GCM to move it (the holder flushes it to the
/// database, the requester loads it). Reported only (no target); the invariant is W4's, over both servers: the total
/// is unchanged and no account is negative, as each server reads them afterwards.
/// </summary>
public sealed class G2Shared : DistributedWorkload
{
    public override string Id => "G2";

    /// <summary>Per server, as W4. A smaller run is over before the servers contend much: the one that opened the
    /// accounts runs through its share while the other is still acquiring them.</summary>
    public override long DefaultCount => 1_000_000;

    protected override async Task<WorkloadResult> RunOnServerAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        await using var cluster = await Cluster.StartAsync(Id, options).ConfigureAwait(false);
        // Server 1 opens the accounts; server 2 acquires them from it during the run.
        if (!options.NoWarmup) await cluster.AskAsync(0, Command("INIT", WarmupBase), "INITED", Cluster.ShortTimeout).ConfigureAwait(false);
        await cluster.AskAsync(0, Command("INIT", 0), "INITED", Cluster.ShortTimeout).ConfigureAwait(false);
        if (!options.NoWarmup)
        {
            long warmup = Math.Min(count, 200_000); // enough to tier up the JIT
            _ = await cluster.RunBothAsync(_ => Command("RUN", WarmupBase, warmup)).ConfigureAwait(false);
        }
        var run = await cluster.RunBothAsync(_ => Command("RUN", 0, count)).ConfigureAwait(false);

        bool check = run.Ops == count * Cluster.ServerCount && run.Sum("failed") == 0;
        if (run.Sum("failed") != 0) Console.Error.WriteLine($"G2: {run.Sum("failed")} transfers failed (neither committed nor refused)");
        for (int s = 0; s < Cluster.ServerCount; s++)
        {
            var seen = await cluster.AskAsync(s, Command("CHECK", 0), "CHECKED", Cluster.ShortTimeout).ConfigureAwait(false);
            long total = seen.Long("total"), negative = seen.Long("negative");
            if (total != W4BankTransfer.Accounts * W4BankTransfer.InitialBalance || negative != 0)
            {
                check = false;
                Console.Error.WriteLine($"G2: server {s + 1} sees total {total} and {negative} negative accounts");
            }
        }
        return new WorkloadResult(run.Ops, run.Seconds, check, run.Latency,
            Note: $"servers=2,refused={run.Sum("refused")},failed={run.Sum("failed")},{run.CounterNote}");
    }

    private static string Command(string word, params long[] numbers) =>
        word + string.Concat(numbers.Select(n => " " + n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Server side: W4's transfer on the shared accounts from the key base.</summary>
    internal sealed class Server : ServerPart
    {
        public override Task InitAsync(ServerContext ctx, long keyBase)
        {
            var table = ctx.Module.tValue;
            return RunOrThrowAsync(ctx, async () =>
            {
                for (long k = 0; k < W4BankTransfer.Accounts; k++) (await table.GetOrAddAsync(keyBase + k)).Value = W4BankTransfer.InitialBalance;
                return 0;
            }, "G2-init");
        }

        public override async Task<PartRun> RunAsync(ServerContext ctx, long keyBase, long count, LatencyRecorder latency)
        {
            var table = ctx.Module.tValue;
            long refused = 0;
            long salt = (long)ctx.Index << 40; // the servers draw different transfers
            Func<long, ValueTask<long>> transfer = async index =>
            {
                var (from, to, amount) = W4BankTransfer.Pick(salt + index);
                var a = (await table.GetAsync(keyBase + from))!;
                var b = (await table.GetAsync(keyBase + to))!;
                if (a.Value < amount) return 1; // refuse to overdraw
                a.Value -= amount;
                b.Value += amount;
                return 0;
            };
            // Counted from the final results: an attempt that refused may still be redone (it read a record taken away meanwhile).
            _committed?.Clear(); // only the last run (the measured one) is checked
            long index = 0;
            var outcome = await FrameworkApp.RunAllAtOnceAsync(ctx.App, count, transfer, latency, "G2", rc =>
            {
                refused += rc == 1 ? 1 : 0;
                if (rc == 0 && _committed != null) _committed.Add(W4BankTransfer.Pick(salt + index));
                index++;
            }).ConfigureAwait(false);
            return new PartRun(count, outcome.Seconds, outcome.NonZeroResults - refused, ("refused", refused));
        }

        /// <summary>With ZEZE_TRACE=1: the transfers this server committed in the measured run (from, to, amount).</summary>
        private readonly List<(long, long, long)>? _committed = Cluster.TraceDirectory != null ? [] : null;

        /// <summary>
        /// With ZEZE_TRACE=1, at CHECK: this server's trace, its committed transfers (the measured run's), the balances it
        /// read and each account's key in the trace; a script replays the transfers of both servers to find the accounts
        /// that went wrong and merges the traces by time.
        /// </summary>
        private void WriteTrace(ServerContext ctx, long keyBase, string dir)
        {
            int id = ctx.App.Options.ServerId;
            Zeze.Diagnostics.CoherenceTrace.Dump(Path.Combine(dir, $"trace_server{id}.txt"));
            using var file = new StreamWriter(Path.Combine(dir, $"g2_server{id}.txt"));
            var table = ctx.Module.tValue;
            for (long k = 0; k < W4BankTransfer.Accounts; k++)
            {
                var record = table.PeekCached(keyBase + k);
                file.WriteLine(FormattableString.Invariant(
                    $"K {k} {(record == null ? 0 : Zeze.Diagnostics.CoherenceTrace.KeyOf(record.GlobalKey))} {(record?.Value is global::Bench.Local.BValue v ? v.Value : -1)}"));
            }
            foreach (var (from, to, amount) in _committed!) file.WriteLine(FormattableString.Invariant($"T {from} {to} {amount}"));
        }

        public override async Task<(string Key, object Value)[]> CheckAsync(ServerContext ctx, long keyBase)
        {
            var table = ctx.Module.tValue;
            long total = 0, negative = 0;
            await RunOrThrowAsync(ctx, async () =>
            {
                total = negative = 0; // a redone attempt starts over
                for (long k = 0; k < W4BankTransfer.Accounts; k++)
                {
                    long v = (await table.GetAsync(keyBase + k))?.Value ?? 0;
                    total += v;
                    if (v < 0) negative++;
                }
                return 0;
            }, "G2-check").ConfigureAwait(false);
            if (Cluster.TraceDirectory is { } dir) WriteTrace(ctx, keyBase, dir);
            return [("total", total), ("negative", negative)];
        }
    }
}
