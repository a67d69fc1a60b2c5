using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;
using Zeze.TestSupport;

namespace Zeze.Transaction.Tests.Servers;

/// <summary>
/// PostgreSQL stops for 10 s in the middle of a bank run and starts again (its own server: the shared one stays up).
/// The cached bank keeps committing; the checkpoint backlog rises while the server is down and drains to 0 after;
/// procedures flushed on commit report NotDurable instead of success while nothing can be written; a load fails with
/// an exception result; and after a final checkpoint and a fresh start, the server holds exactly the replay of every
/// committed transfer.
/// </summary>
public class PostgresOutageTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task BankLosesNothingWhenPostgresStopsForTenSeconds()
    {
        using var serverLock = await OutagePostgres.LockAsync();
        string server = await OutagePostgres.StartAsync();
        string scratch = await PostgresScratch.CreateSchemaAsync(server);
        try
        {
            await RunAsync("postgres:" + scratch);
        }
        finally
        {
            await OutagePostgres.StartAsync(); // whatever happened, leave it running
            await PostgresScratch.DropSchemaAsync(scratch);
        }
    }

    /// <summary>
    /// Stopping the application while the server is down: the final checkpoint keeps retrying, with the same backoff
    /// as before the stop (not in a tight loop), and completes once the server is back; nothing is lost.
    /// </summary>
    [Fact]
    public async Task StopWhileThePostgresIsDownWaitsForItWithBackoff()
    {
        using var serverLock = await OutagePostgres.LockAsync();
        string server = await OutagePostgres.StartAsync();
        string scratch = await PostgresScratch.CreateSchemaAsync(server);
        string db = "postgres:" + scratch;
        try
        {
            var s = await ServerApp.StartAsync(db, o => o.CheckpointPeriod = TimeSpan.Zero);
            Assert.Equal(0, await s.App.RunAsync(async () => { (await s.Demo.TAccount.GetOrAddAsync(1)).Balance = 42; return 0; }, "write"));
            await OutagePostgres.StopAsync();
            var stopping = s.App.StopAsync();
            await WaitUntilAsync(() => s.App.Checkpoint.WriteFailures >= 1, TimeSpan.FromSeconds(30), "a failed write");
            long first = s.App.Checkpoint.WriteFailures;
            // A measurement window, not a wait for something: with the backoff (100, 200, 400, 800 ms...) the final
            // checkpoint tries about 5 times in 2 s; without it, thousands of times.
            await Task.Delay(TimeSpan.FromSeconds(2));
            long failures = s.App.Checkpoint.WriteFailures - first;
            output.WriteLine($"STOP-WHILE-DOWN failures_in_2s={failures}");
            Assert.False(stopping.IsCompleted);
            Assert.InRange(failures, 1, 10);
            await OutagePostgres.StartAsync();
            await stopping.WaitAsync(TimeSpan.FromSeconds(60));
            await s.App.DisposeAsync();

            await using var fresh = await ServerApp.StartAsync(db);
            Assert.Equal(42, (await fresh.BalancesAsync())[1]);
        }
        finally
        {
            await OutagePostgres.StartAsync();
            await PostgresScratch.DropSchemaAsync(scratch);
        }
    }

    private async Task RunAsync(string db)
    {
        var run = new BankRun();
        long[] inMemory;
        long[] durableCounts;
        await using (var s = await ServerApp.StartAsync(db, o =>
        {
            o.CheckpointPeriod = TimeSpan.FromMilliseconds(100);
            o.DurableCommitTimeout = TimeSpan.FromSeconds(1);
            o.Tables[ServerApp.ImportantTable] = new TableOptions { CheckpointWhenCommit = true };
        }))
        {
            var app = s.App;
            // Warm the whole working set: while the server is down, a cache miss cannot load.
            Assert.Equal(0, await app.RunAsync(async () =>
            {
                for (long a = 0; a < BankTests.Accounts; a++) (await s.Demo.TAccount.GetOrAddAsync(a)).Balance = BankTests.Initial;
                for (long w = 0; w < Workers; w++) await s.Demo.TImportant.GetOrAddAsync(w);
                return 0;
            }, "init"));
            await app.CheckpointNowAsync();

            await using var probe = new CheckpointProbe(app.Name, TimeSpan.FromMilliseconds(10));
            using var stopWorkers = new CancellationTokenSource();
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => run.WorkAsync(s, w, probe, stopWorkers.Token))).ToArray();

            // Steady state first (about a second): transfers commit and checkpoints reach the server.
            await WaitUntilAsync(() => run.CommittedCount > 20_000 && run.DurableAfter(TimeSpan.Zero), TimeSpan.FromSeconds(60), "a steady state");
            var failuresBefore = app.Checkpoint.WriteFailures;
            var before = probe.Between(TimeSpan.Zero, probe.Now);
            long steadyMax = before.Max(x => x.Backlog);

            await OutagePostgres.StopAsync();
            var down = probe.Now;
            run.DownFrom = down;
            // A cache miss while the server is down: the procedure fails with an exception result, nothing else.
            long missResult = await app.RunAsync(async () => (await s.Demo.T1.GetAsync(424242)) == null ? 0 : 1, "miss");
            long committedAtDown = run.CommittedCount;
            await Task.Delay(Outage - (probe.Now - down)); // the length of the outage is the scenario, not a wait for something
            var upAt = probe.Now;
            run.DownUntil = upAt;
            long committedDuringOutage = run.CommittedCount - committedAtDown;
            await OutagePostgres.StartAsync();
            var ready = probe.Now;

            // While transfers go on, the backlog of the outage drains back to the steady level (procedures flushed on
            // commit keep a little in flight, so it seldom reads exactly 0 under load)...
            TimeSpan? drainedAt = await WaitForBacklogAsync(probe, b => b <= steadyMax, TimeSpan.FromSeconds(60));
            var firstWrite = probe.FirstWriteAfter(ready);
            await WaitUntilAsync(() => run.DurableAfter(ready), TimeSpan.FromSeconds(30), "a durable commit after the restart");
            // ... and to 0 once they stop.
            await stopWorkers.CancelAsync();
            var stopped = probe.Now;
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1));
            TimeSpan? zeroAt = await WaitForBacklogAsync(probe, b => b == 0, TimeSpan.FromSeconds(60));
            await app.CheckpointNowAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(0, probe.Sample());

            var during = probe.Between(down, upAt);
            long peak = during.Max(x => x.Backlog);
            long failures = app.Checkpoint.WriteFailures - failuresBefore;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"OUTAGE committed={run.CommittedCount} during_outage={committedDuringOutage} not_durable={run.NotDurable} results={run.ResultsText()} " +
                $"backlog_steady_max={steadyMax} backlog_at_down={during[0].Backlog} backlog_peak={peak} backlog_at_restart={during[^1].Backlog} " +
                $"write_failures={failures} failures_at=[{string.Join(" ", probe.Failures.Select(f => (f - down).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)))}] (s from down) " +
                $"restart_took={(ready - upAt).TotalSeconds:F1}s first_write_after_restart={Seconds(firstWrite, ready)} drained_after_restart={Seconds(drainedAt, ready)} zero_after_load_stopped={Seconds(zeroAt, stopped)} " +
                $"cache_miss_result={missResult}"));

            Assert.Equal(ResultCode.Exception, missResult);
            Assert.True(committedDuringOutage > 0, "the cached bank stopped committing while the server was down");
            Assert.True(run.NotDurable > 0, "no procedure flushed on commit reported NotDurable during the outage");
            Assert.Empty(run.FalselyDurable);
            Assert.True(run.Unexpected.IsEmpty, "unexpected results: " + run.ResultsText());
            Assert.True(failures > 0, "no checkpoint write failed while the server was down");
            Assert.True(peak > steadyMax && during[^1].Backlog > during[0].Backlog,
                $"the backlog did not rise while the server was down (steady max {steadyMax}, at down {during[0].Backlog}, peak {peak}, at restart {during[^1].Backlog})");
            Assert.NotNull(drainedAt);
            Assert.NotNull(zeroAt);

            inMemory = await s.BalancesAsync();
            durableCounts = await CountsAsync(s);
        }

        // A fresh application reads everything back from the server.
        await using var fresh = await ServerApp.StartAsync(db);
        var stored = await fresh.BalancesAsync();
        Assert.Equal(run.Replay(), stored);
        Assert.Equal(inMemory, stored);
        Assert.Equal(BankTests.Accounts * BankTests.Initial, stored.Sum());
        Assert.Equal(run.DurableCommitted, await CountsAsync(fresh));
        Assert.Equal(durableCounts, await CountsAsync(fresh));
    }

    private static string Seconds(TimeSpan? at, TimeSpan from) =>
        at is { } t ? (t - from).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + "s" : "never";

    private static async Task<long[]> CountsAsync(ServerApp s)
    {
        var counts = new long[Workers];
        Assert.Equal(0, await s.App.RunAsync(async () =>
        {
            for (int w = 0; w < Workers; w++) counts[w] = (await s.Demo.TImportant.GetAsync(w))!.L2;
            return 0;
        }, "counts"));
        return counts;
    }

    /// <summary>When the backlog first satisfies <paramref name="condition"/> (sampled every 5 ms), or null after <paramref name="limit"/>.</summary>
    private static async Task<TimeSpan?> WaitForBacklogAsync(CheckpointProbe probe, Func<long, bool> condition, TimeSpan limit)
    {
        var deadline = probe.Now + limit;
        while (probe.Now < deadline)
        {
            if (condition(probe.Sample())) return probe.Now;
            await Task.Delay(5);
        }
        return null;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < limit, $"no {what} within {limit}");
            await Task.Delay(20);
        }
    }

    /// <summary>The transfers of one run: what committed, what each result was, and when.</summary>
    private sealed class BankRun
    {
        private readonly long[] _delta = new long[BankTests.Accounts];
        private long _committed;
        private long _lastDurableEnd = -1;
        public readonly ConcurrentDictionary<long, long> Results = new();
        public readonly ConcurrentQueue<string> Unexpected = new();
        public readonly ConcurrentQueue<string> FalselyDurable = new();
        public readonly long[] DurableCommitted = new long[Workers];
        public long NotDurable;
        public TimeSpan DownFrom = TimeSpan.MaxValue;
        public TimeSpan DownUntil = TimeSpan.MaxValue;

        public async Task WorkAsync(ServerApp s, int w, CheckpointProbe clock, CancellationToken stop)
        {
            var rnd = new Random(w * 7919 + 17);
            bool durable = w % 2 == 0; // half the workers also count their transfers in a table flushed on commit
            // The others are paced (100 transfers per 10 ms tick): enough to keep every account dirty, without
            // taking both cores from the tests running alongside.
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                if (!durable && i % 100 == 0)
                {
                    try
                    {
                        await pace.WaitForNextTickAsync(stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
                long from = rnd.Next(BankTests.Accounts), to = rnd.Next(BankTests.Accounts), amount = rnd.Next(1, 200);
                bool fail = rnd.Next(100) < 5;
                var start = clock.Now;
                long rc = await s.App.RunAsync(async () =>
                {
                    var a = (await s.Demo.TAccount.GetAsync(from))!;
                    var b = (await s.Demo.TAccount.GetAsync(to))!;
                    if (a.Balance < amount) return 1;
                    a.Balance -= amount;
                    b.Balance += amount;
                    if (durable) (await s.Demo.TImportant.GetAsync(w))!.L2 += 1;
                    if (fail) return 2; // an error after writing: rolled back
                    Transaction.Current!.WhileCommit(() =>
                    {
                        Interlocked.Add(ref _delta[from], -amount);
                        Interlocked.Add(ref _delta[to], amount);
                        Interlocked.Increment(ref _committed);
                        if (durable) DurableCommitted[w]++;
                    });
                    return 0;
                }, "transfer");
                var end = clock.Now;
                Results.AddOrUpdate(rc, 1, (_, n) => n + 1);
                if (rc == ResultCode.NotDurable) Interlocked.Increment(ref NotDurable);
                else if (rc != 0 && rc != 1 && rc != 2) Unexpected.Enqueue(rc.ToString(CultureInfo.InvariantCulture));
                if (durable && rc == 0)
                {
                    InterlockedMax(ref _lastDurableEnd, end.Ticks);
                    // Began after the server was fully stopped and returned before it was started again: impossible
                    // if success means durable.
                    if (start > DownFrom && end < DownUntil) FalselyDurable.Enqueue($"worker {w} at {end}");
                }
            }
        }

        public long CommittedCount => Interlocked.Read(ref _committed);

        /// <summary>True when a transfer flushed on commit returned success after <paramref name="t"/>.</summary>
        public bool DurableAfter(TimeSpan t) => Interlocked.Read(ref _lastDurableEnd) > t.Ticks;

        /// <summary>The balances the committed transfers add up to.</summary>
        public long[] Replay() => _delta.Select(d => BankTests.Initial + d).ToArray();

        private static void InterlockedMax(ref long target, long value)
        {
            long current = Interlocked.Read(ref target);
            while (value > current)
            {
                long seen = Interlocked.CompareExchange(ref target, value, current);
                if (seen == current) return;
                current = seen;
            }
        }

        public string ResultsText() => string.Join(",", Results.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}"));
    }
}
