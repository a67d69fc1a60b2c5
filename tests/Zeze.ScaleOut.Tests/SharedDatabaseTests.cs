using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;
using Zeze.Transaction;

namespace Zeze.ScaleOut.Tests;

/// <summary>
/// Servers in this process sharing one database object through a real GCM on loopback (global-and-raft.md T-1, T-2,
/// T-3, T-5, T-6, T-7, T-8, T-17, T-20), and the load of a record expected to be written.
/// </summary>
public class SharedDatabaseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task T1_TwoServersIncrementOneKeyConcurrently()
    {
        await using var c = await LocalCluster.StartAsync();
        var a = await c.AddServerAsync(1);
        var b = await c.AddServerAsync(2);
        using var stop = new CancellationTokenSource();
        var sampler = c.SampleCoherenceAsync([1], stop.Token);
        var tasks = new List<Task<long>>();
        for (int i = 0; i < 2000; i++)
        {
            tasks.Add(a.AddAsync(1, 1));
            tasks.Add(b.AddAsync(1, 1));
        }
        var results = await Task.WhenAll(tasks).WaitAsync(Bound);
        stop.Cancel();
        long samples = await sampler;
        Assert.All(results, rc => Assert.Equal(0, rc));
        Assert.Equal(4000, await a.ReadAsync(1));
        Assert.Equal(4000, await b.ReadAsync(1));
        Assert.True(samples > 0);
        output.WriteLine($"T-1: value 4000 on both; coherence checked {samples} times; redo {a.App.Metrics.RedoCount}+{b.App.Metrics.RedoCount}, " +
            $"caused by the global cache {a.App.Metrics.GlobalRedoCount}+{b.App.Metrics.GlobalRedoCount}; reduces {a.App.Metrics.GlobalReduceCount}+{b.App.Metrics.GlobalReduceCount}");
        Assert.True(a.App.Metrics.GlobalReduceCount + b.App.Metrics.GlobalReduceCount > 0, "the key never moved between the servers");
    }

    [Fact]
    public async Task T2_ThreeServersInImmediatelyMode()
    {
        await using var c = await LocalCluster.StartAsync();
        var servers = new List<LocalCluster.Server>();
        for (int id = 1; id <= 3; id++) servers.Add(await c.AddServerAsync(id, o => o.DefaultTable.CheckpointWhenCommit = true));
        var tasks = new List<Task<long>>();
        for (int i = 0; i < 2000; i++)
        {
            foreach (var s in servers) tasks.Add(s.AddAsync(7, 1));
        }
        var results = await Task.WhenAll(tasks).WaitAsync(Bound);
        Assert.All(results, rc => Assert.Equal(0, rc));
        foreach (var s in servers) Assert.Equal(6000, await s.ReadAsync(7));
        // Every commit was written at once: a server that starts later reads 6000 from the database while the others
        // still hold the record (it acquires it through the GCM and the holder has nothing left to flush).
        var late = await c.AddServerAsync(9);
        Assert.Equal(6000, await late.ReadAsync(7));
        foreach (var s in servers) Assert.False(s.Shared.tValue.PeekCached(7)?.IsDirty ?? false, $"server {s.Id} kept unwritten data in Immediately mode");
    }

    [Fact]
    public async Task T3_BankAcrossThreeServersKeepsTheTotalAndMatchesTheReplay()
    {
        const int accounts = 200;
        const long initial = 1000;
        // ZEZE_TRACE=1: record the global cache's events, and on a mismatch write each wrong account's history (events and
        // acknowledged transfers) to trace_<account>.txt in the temp directory.
        bool trace = Environment.GetEnvironmentVariable("ZEZE_TRACE") == "1";
        if (trace)
        {
            Zeze.Diagnostics.CoherenceTrace.ValueOf = r => ((global::ScaleOut.Shared.BValue)r.Value!).Value;
            Zeze.Diagnostics.CoherenceTrace.Start();
        }
        // ZEZE_T3_DB=postgres:...: the servers each connect to that database server instead of sharing one object.
        await using var c = await LocalCluster.StartAsync(Environment.GetEnvironmentVariable("ZEZE_T3_DB") is { Length: > 0 } db ? db : null, new TestOutputLogger(output));
        var servers = new List<LocalCluster.Server>();
        // ZEZE_T3_CHECKPOINT_MS=N: the servers' checkpoint period (the cluster's default is 200 ms).
        string? period = Environment.GetEnvironmentVariable("ZEZE_T3_CHECKPOINT_MS");
        for (int id = 1; id <= 3; id++)
            servers.Add(await c.AddServerAsync(id, o => { if (period != null) o.CheckpointPeriod = TimeSpan.FromMilliseconds(int.Parse(period, System.Globalization.CultureInfo.InvariantCulture)); }));
        using var stopSampling = new CancellationTokenSource();
        var sampler = c.SampleCoherenceAsync(Enumerable.Range(0, accounts).Select(i => (long)i).ToList(), stopSampling.Token);
        Assert.Equal(0, await servers[0].RunAsync(async () =>
        {
            for (long k = 0; k < accounts; k++) (await servers[0].Shared.tValue.GetOrAddAsync(k)).Value = initial;
            return 0;
        }));
        var acknowledged = new ConcurrentQueue<(long From, long To, long Amount)>();
        long failures = 0;
        var failedTransfers = new ConcurrentQueue<(long From, long To, long Amount, long Rc)>();
        var until = Stopwatch.StartNew();
        var workers = servers.SelectMany(s => Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(s.Id * 100 + w);
            while (until.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Yield(); // a request handler: other work (the GCM's answers) gets its turn
                long from = rnd.Next(accounts), to = rnd.Next(accounts), amount = rnd.Next(1, 100);
                long rc = await s.RunAsync(async () =>
                {
                    var a = (await s.Shared.tValue.GetAsync(from))!;
                    var b = (await s.Shared.tValue.GetAsync(to))!;
                    if (a.Value < amount) return 1;
                    a.Value -= amount;
                    b.Value += amount;
                    return 0;
                }, "transfer");
                if (rc == 0) acknowledged.Enqueue((from, to, amount));
                else if (rc != 1)
                {
                    Interlocked.Increment(ref failures);
                    failedTransfers.Enqueue((from, to, amount, rc));
                }
            }
        }))).ToArray();
        await Task.WhenAll(workers).WaitAsync(Bound);
        stopSampling.Cancel();
        long samples = await sampler;

        var replay = Enumerable.Repeat(initial, accounts).ToArray();
        foreach (var (from, to, amount) in acknowledged)
        {
            replay[from] -= amount;
            replay[to] += amount;
        }
        foreach (var s in servers)
        {
            var balances = new long[accounts];
            Assert.Equal(0, await s.RunAsync(async () =>
            {
                for (long k = 0; k < accounts; k++) balances[k] = (await s.Shared.tValue.GetAsync(k))!.Value;
                return 0;
            }, "audit"));
            if (trace && !replay.SequenceEqual(balances))
            {
                Zeze.Diagnostics.CoherenceTrace.Enabled = false;
                for (int k = 0; k < accounts; k++)
                {
                    if (replay[k] == balances[k]) continue;
                    var rec = servers.Select(x => x.Shared.tValue.PeekCached(k)).First(r => r != null)!;
                    output.WriteLine($"DIFF account {k}: balance {balances[k]} replay {replay[k]}");
                    var events = Zeze.Diagnostics.CoherenceTrace.Of(Zeze.Diagnostics.CoherenceTrace.KeyOf(rec.GlobalKey));
                    using var file = new StreamWriter(Path.Combine(Path.GetTempPath(), $"trace_{k}.txt"));
                    foreach (var e in events) file.WriteLine($"E {e.Seq} s{e.Server} {e.Kind} a={e.A} b={e.B} v={e.V}");
                    foreach (var (from, to, amount) in acknowledged)
                        if (from == k || to == k) file.WriteLine($"A {from} {to} {amount}");
                    foreach (var (from, to, amount, rc) in failedTransfers)
                        if (from == k || to == k) file.WriteLine($"F {from} {to} {amount} {rc}");
                    output.WriteLine($"failures: {failures}");
                    foreach (var e in events.TakeLast(100)) output.WriteLine($"  {e.Seq} s{e.Server} {e.Kind} a={e.A} b={e.B} v={e.V}");
                }
            }
            Assert.Equal(accounts * initial, balances.Sum());
            Assert.Equal(replay, balances);
        }
        Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} transfers in 20 s");
        output.WriteLine($"T-3: {acknowledged.Count} transfers acknowledged in 20 s by 24 workers on 3 servers ({failures} failed); total and replay match on every server; coherence of the 200 accounts checked {samples} times");
    }

    [Fact]
    public async Task T5_T6_ReadAfterWriteSeesTheWholeTransactionFlushedBeforeTheGrant()
    {
        await using var c = await LocalCluster.StartAsync();
        // A never checkpoints by itself: only the reduce writes its data.
        var a = await c.AddServerAsync(1, o => o.CheckpointPeriod = TimeSpan.FromHours(1));
        var b = await c.AddServerAsync(2);
        Assert.Equal(0, await a.RunAsync(async () =>
        {
            (await a.Shared.tValue.GetOrAddAsync(10)).Value = 100;
            (await a.Shared.tValue.GetOrAddAsync(11)).Value = 110;
            return 0;
        }));
        Assert.True(a.Shared.tValue.PeekCached(10)!.IsDirty);
        Assert.True(a.Shared.tValue.PeekCached(11)!.IsDirty);
        Assert.Equal(100, await b.ReadAsync(10));
        // The reduce of K1 wrote the transaction's whole set (one database transaction) before B was granted K1.
        Assert.False(a.Shared.tValue.PeekCached(11)!.IsDirty, "K2, written with K1, was not flushed with it");
        Assert.Equal(110, await b.ReadAsync(11));
        // A's copies were reduced to Share (B only reads); a write on A upgrades again and B sees that too.
        Assert.Equal(0, await a.AddAsync(10, 1));
        Assert.Equal(101, await b.ReadAsync(10));
    }

    [Fact]
    public async Task T7_HotKeyOnFourServersEveryServerProgressesEverySecond()
    {
        await using var c = await LocalCluster.StartAsync();
        c.LoggerFactory = new TestOutputLogger(output);
        var servers = new List<LocalCluster.Server>();
        for (int id = 1; id <= 4; id++) servers.Add(await c.AddServerAsync(id));
        const int seconds = 10;
        var commits = new long[servers.Count, seconds + 1];
        var codes = new ConcurrentDictionary<long, int>();
        var clock = Stopwatch.StartNew();
        var loops = servers.SelectMany((s, i) => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                await Task.Yield(); // a request handler: other work (the GCM's answers) gets its turn
                long rc = await s.AddAsync(5, 1);
                if (rc == 0) Interlocked.Increment(ref commits[i, Math.Min(seconds, (int)clock.Elapsed.TotalSeconds)]);
                else codes.AddOrUpdate(rc, 1, (_, n) => n + 1);
            }
        }))).ToArray();
        await Task.WhenAll(loops).WaitAsync(Bound);
        long total = 0;
        string matrix = string.Join("; ", Enumerable.Range(0, servers.Count).Select(i => $"server {servers[i].Id}: " + string.Join(",", Enumerable.Range(0, seconds).Select(sec => commits[i, sec]))));
        output.WriteLine("commits per second: " + matrix);
        for (int i = 0; i < servers.Count; i++)
        {
            for (int sec = 0; sec < seconds; sec++)
            {
                Assert.True(commits[i, sec] >= 1, $"server {servers[i].Id} committed nothing in second {sec}: {matrix}");
                total += commits[i, sec];
            }
            total += commits[i, seconds];
        }
        Assert.False(codes.ContainsKey(ResultCode.TooManyTry), "a procedure gave up after too many redos");
        Assert.Empty(codes);
        Assert.Equal(total, await servers[0].ReadAsync(5));
        var status = c.Gcm!.GetStatus();
        // 16: a holder answered a reduce "not now" (its copy is fresh, or a local transaction holds it): the requester
        // releases its locks and retries instead of waiting in a cycle.
        long busy = status.Counters.Where(kv => kv.Key.Contains(".16.", StringComparison.Ordinal)).Sum(kv => kv.Value);
        output.WriteLine($"T-7: {total} commits in {seconds} s on one key by 4 servers; per server {string.Join(", ", Enumerable.Range(0, servers.Count).Select(i => Enumerable.Range(0, seconds + 1).Sum(sec => commits[i, sec])))}; " +
            $"GCM answers 16: {busy} (counters: {string.Join(", ", status.Counters.Where(kv => kv.Value != 0).Select(kv => kv.Key + "=" + kv.Value))}); global redo {servers.Sum(s => s.App.Metrics.GlobalRedoCount)}; hot key: {status.HotKeys.FirstOrDefault()?.ToString() ?? "-"}");
    }

    [Fact]
    public async Task T8_EvictionReleasesAtTheGcm()
    {
        await using var c = await LocalCluster.StartAsync();
        c.LoggerFactory = new TestOutputLogger(output);
        Action<ZezeOptions> small = o => o.Tables["ScaleOut_Shared_tValue"] = new TableOptions { CacheCapacity = 10, CacheCleanPeriod = TimeSpan.FromMilliseconds(50) };
        var a = await c.AddServerAsync(1, small);
        var b = await c.AddServerAsync(2, small);
        for (long k = 0; k < 1000; k++)
        {
            Assert.Equal(0, await (k % 2 == 0 ? a : b).AddAsync(k, 1));
            if (k % 3 == 0) Assert.Equal(1, await (k % 2 == 0 ? b : a).ReadAsync(k));
        }
        // Idle: the cleaners bring each cache down to its capacity, and every eviction is released at the GCM.
        await Wait.UntilAsync(() => a.Shared.tValue.CacheCount <= 10 && b.Shared.tValue.CacheCount <= 10, "the caches shrink to their capacity", 30_000);
        await Wait.UntilAsync(() => HeldAtGcm(c, 1) == Valid(a) && HeldAtGcm(c, 2) == Valid(b), "the GCM holds exactly what the caches hold", 30_000);
        Assert.True(c.Gcm!.KeyCount <= 20, $"the GCM still knows {c.Gcm.KeyCount} keys for 2 caches of 10");
        output.WriteLine($"T-8: after idle the GCM holds {c.Gcm.KeyCount} keys (server 1: {HeldAtGcm(c, 1)}, server 2: {HeldAtGcm(c, 2)}), as many as the caches hold");
        await a.App.StopAsync();
        await b.App.StopAsync();
        await Wait.UntilAsync(() => c.Gcm.KeyCount == 0, "the GCM key map empties when the servers stop");
    }

    private static long HeldAtGcm(LocalCluster c, int serverId) =>
        c.Gcm!.GetStatus().Sessions.FirstOrDefault(s => s.ServerId == serverId)?.KeysHeld ?? 0;

    private static int Valid(LocalCluster.Server s) =>
        s.Shared.tValue.CachedRecords().Count(r => r.State is RecordState.Share or RecordState.Modify);

    [Fact]
    public async Task T17_OrderlyShutdownWritesEverythingBeforeTheGcmLetsGo()
    {
        await using var c = await LocalCluster.StartAsync();
        var a = await c.AddServerAsync(1, o => o.CheckpointPeriod = TimeSpan.FromHours(1));
        var b = await c.AddServerAsync(2);
        const int keys = 200;
        Assert.Equal(0, await a.RunAsync(async () =>
        {
            for (long k = 0; k < keys; k++) (await a.Shared.tValue.GetOrAddAsync(1000 + k)).Value = 5000 + k;
            return 0;
        }));
        // B asks for every key while A stops: each read is granted either by A's reduce (which writes first) or after
        // A's final checkpoint and its NormalClose; either way B sees A's last values.
        var reads = Enumerable.Range(0, keys).Select(k => b.ReadAsync(1000 + k)).ToArray();
        var stopping = a.App.StopAsync();
        var values = await Task.WhenAll(reads).WaitAsync(Bound);
        await stopping.WaitAsync(Bound);
        for (int k = 0; k < keys; k++) Assert.Equal(5000 + k, values[k]);
        await Wait.UntilAsync(() => c.Gcm!.GetStatus().Sessions.All(s => s.ServerId != 1 || s.KeysHeld == 0), "the GCM released everything of the stopped server");
    }

    [Fact]
    public async Task T20_IdleServersKeepTheirKeysAndNeedNoReacquire()
    {
        await using var c = await LocalCluster.StartAsync();
        c.LoggerFactory = new TestOutputLogger(output);
        var a = await c.AddServerAsync(1);
        var b = await c.AddServerAsync(2);
        Assert.Equal(0, await a.AddAsync(1, 1)); // A: Modify on 1
        Assert.Equal(0, await b.AddAsync(3, 1)); // B: Modify on 3
        Assert.Equal(0, await b.AddAsync(2, 1));
        Assert.Equal(1, await a.ReadAsync(2)); // A: Share on 2 (B reduced to Invalid: servers always reduce to Invalid)
        long acquiresA = a.App.Metrics.GlobalAcquireCount, acquiresB = b.App.Metrics.GlobalAcquireCount;
        int idleMs = 3 * GcmProcess.Timing.GlobalDaemonTimeout;
        // Idle for 3 x GlobalDaemonTimeout: the keep-alives hold the sessions; nothing is released on either side.
        await Task.Delay(idleMs);
        output.WriteLine($"after idle: A {a.StateOf(1)},{a.StateOf(2)}; B {b.StateOf(3)}; GCM {string.Join(", ", c.Gcm!.GetStatus().Counters.Where(kv => kv.Value != 0))}");
        Assert.Equal(RecordState.Modify, a.StateOf(1));
        Assert.Equal(RecordState.Share, a.StateOf(2));
        Assert.Equal(RecordState.Modify, b.StateOf(3));
        Assert.Equal(1, await a.ReadAsync(1));
        Assert.Equal(1, await a.ReadAsync(2));
        Assert.Equal(0, await a.AddAsync(1, 1));
        Assert.Equal(0, await b.AddAsync(3, 1));
        Assert.Equal(2, await b.ReadAsync(3));
        Assert.Equal(acquiresA, a.App.Metrics.GlobalAcquireCount);
        Assert.Equal(acquiresB, b.App.Metrics.GlobalAcquireCount);
        Assert.Equal(0, c.Gcm!.GetStatus().Counter("kicks"));
        output.WriteLine($"T-20: idle {idleMs} ms (3 x GlobalDaemonTimeout); no release, no re-acquire");
    }

    [Fact]
    public async Task ARecordWrittenInTurnsMovesWithOneAcquireAndReadersStillShare()
    {
        await using var c = await LocalCluster.StartAsync();
        c.LoggerFactory = new TestOutputLogger(output);
        var a = await c.AddServerAsync(1);
        var b = await c.AddServerAsync(2);
        // The first writes on each server: loaded as Share, upgraded at commit (two acquires).
        Assert.Equal(0, await a.AddAsync(1, 1));
        Assert.Equal(0, await b.AddAsync(1, 1));
        long before = a.App.Metrics.GlobalAcquireCount + b.App.Metrics.GlobalAcquireCount;
        // From then on each server's last transaction on the record wrote it: the next load asks for Modify at once.
        const int moves = 20;
        for (int i = 0; i < moves; i++)
        {
            var s = i % 2 == 0 ? a : b;
            Assert.Equal(0, await s.AddAsync(1, 1));
            Assert.Equal(RecordState.Modify, s.StateOf(1));
        }
        long perMove = (a.App.Metrics.GlobalAcquireCount + b.App.Metrics.GlobalAcquireCount - before) / moves;
        Assert.Equal(1, perMove);

        // A read clears the expectation: once each server has read the record, both keep a Share copy and reading
        // no longer moves it.
        Assert.Equal(2 + moves, await a.ReadAsync(1)); // loaded as Modify (a wrote last), b reduced
        Assert.Equal(2 + moves, await b.ReadAsync(1)); // b wrote last too: Modify, a reduced
        Assert.Equal(2 + moves, await a.ReadAsync(1)); // a's last transaction only read: Share
        Assert.Equal(2 + moves, await b.ReadAsync(1)); // b's too: Share, and a keeps its copy
        long settled = a.App.Metrics.GlobalAcquireCount + b.App.Metrics.GlobalAcquireCount;
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(2 + moves, await a.ReadAsync(1));
            Assert.Equal(2 + moves, await b.ReadAsync(1));
        }
        Assert.Equal(RecordState.Share, a.StateOf(1));
        Assert.Equal(RecordState.Share, b.StateOf(1));
        Assert.Equal(settled, a.App.Metrics.GlobalAcquireCount + b.App.Metrics.GlobalAcquireCount);
    }
}
