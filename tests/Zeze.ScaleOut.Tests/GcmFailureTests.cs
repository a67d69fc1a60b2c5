using System.Diagnostics;
using Xunit.Abstractions;
using Zeze.Services.GlobalCache;

namespace Zeze.ScaleOut.Tests;

/// <summary>
/// GCM processes killed with SIGKILL under load (global-and-raft.md T-16, T-18): the servers release what the lost
/// GCM knew about, the restarted GCM waits out its quarantine, and no acknowledged update is lost.
/// </summary>
public class GcmFailureTests(ITestOutputHelper output)
{
    private static readonly AchillesHeelTiming T = GcmProcess.Timing;

    [Fact]
    public async Task T16_GcmKilledAndRestartedUnderLoadLosesNoUpdate()
    {
        await using var gcm = await GcmProcess.StartAsync();
        await using var c = LocalCluster.Using(gcm.Address);
        c.LoggerFactory = new TestOutputLogger(output);
        var servers = new[] { await c.AddServerAsync(1), await c.AddServerAsync(2) };
        long ok = 0, failed = 0;
        using var stop = new CancellationTokenSource();
        var loops = servers.SelectMany(s => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Yield(); // a request handler
                if (await s.AddAsync(1, 1) == 0) Interlocked.Increment(ref ok);
                else Interlocked.Increment(ref failed);
            }
        }))).ToArray();
        await Wait.UntilAsync(() => Interlocked.Read(ref ok) > 2000, "increments before the kill", 60_000);

        await gcm.KillAsync();
        long killedAt = Stopwatch.GetTimestamp();
        long okAtKill = Interlocked.Read(ref ok);
        // Started again on the same port, with the quarantine of a restart (GlobalDaemonTimeout): the servers' ReLogin
        // is refused (it forgot them), they release locally and log in afresh; no grant before the quarantine ends.
        await gcm.RestartAsync();
        double restartedMs = Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds;
        // Both servers find out (ReLogin refused), release what they held, and log in afresh...
        await Wait.UntilAsync(() => servers.All(s => ((GlobalCacheAgent)s.App.GlobalAgent!).LoginCount(0) >= 2),
            "both servers log in to the restarted GCM", T.GlobalDaemonTimeout + 10_000);
        long okAtRelogin = Interlocked.Read(ref ok);
        long redoAtRelogin = servers.Sum(s => s.App.Metrics.GlobalRedoCount);
        // ...and then nothing commits until the quarantine ends: every acquire is refused (a redo). At most the
        // increments already past validation when the records were released are counted after this point.
        long okBeforeQuarantineEnd = 0;
        await Wait.UntilAsync(() =>
        {
            okBeforeQuarantineEnd = Interlocked.Read(ref ok);
            return Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds > restartedMs + T.GlobalDaemonTimeout - 500;
        }, "the quarantine almost ends", T.GlobalDaemonTimeout + 10_000);
        Assert.True(okBeforeQuarantineEnd - okAtRelogin <= loops.Length,
            $"{okBeforeQuarantineEnd - okAtRelogin} increments committed during the quarantine");
        Assert.True(servers.Sum(s => s.App.Metrics.GlobalRedoCount) > redoAtRelogin, "no acquire was refused during the quarantine");
        long okAfterQuarantine = 0;
        await Wait.UntilAsync(() =>
        {
            okAfterQuarantine = Interlocked.Read(ref ok);
            return Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds > restartedMs + T.GlobalDaemonTimeout;
        }, "the quarantine ends", T.GlobalDaemonTimeout + 10_000);
        await Wait.UntilAsync(() => Interlocked.Read(ref ok) > okAfterQuarantine + 2000, "increments resume after the quarantine", 30_000);
        stop.Cancel();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(2));

        long total = Interlocked.Read(ref ok);
        foreach (var s in servers) Assert.Equal(total, await s.ReadAsync(1));
        output.WriteLine($"T-16: {total} increments acknowledged ({okAtKill} before the kill), {failed} failed during the outage; " +
            $"{okBeforeQuarantineEnd - okAtRelogin} committed during the quarantine; the counter equals the acknowledged increments on both servers");
    }

    [Fact]
    public async Task T18_ShardedGcmLosingOneInstanceFailsOnlyTheKeysItOwns()
    {
        var gcms = new List<GcmProcess>();
        try
        {
            for (int i = 0; i < 3; i++) gcms.Add(await GcmProcess.StartAsync(index: i));
            await using var c = LocalCluster.Using(string.Join(";", gcms.Select(g => g.Address)));
            c.LoggerFactory = new TestOutputLogger(output);
            var servers = new[] { await c.AddServerAsync(1), await c.AddServerAsync(2) };
            const int keys = 30;
            var owner = new int[keys];
            for (long k = 0; k < keys; k++)
            {
                Assert.Equal(0, await servers[0].AddAsync(k, 1));
                owner[k] = GlobalKeyHash.InstanceIndex(servers[0].Shared.tValue.PeekCached(k)!.GlobalKey, 3);
            }
            Assert.True(Enumerable.Range(0, 3).All(i => owner.Contains(i)), "30 keys should spread over the 3 instances");
            var ok = new long[keys];
            for (int k = 0; k < keys; k++) ok[k] = 1;
            var failedByInstance = new long[3];
            int phase = 0; // 0 before the kill, 1 instance 1 down or restarting, 2 after its recovery
            var failedInPhase = new long[3, 3];
            using var stop = new CancellationTokenSource();
            var loops = servers.Select((s, n) => Task.Run(async () =>
            {
                var rnd = new Random(n);
                while (!stop.IsCancellationRequested)
                {
                    await Task.Yield();
                    int k = rnd.Next(keys);
                    if (await s.AddAsync(k, 1) == 0) Interlocked.Increment(ref ok[k]);
                    else Interlocked.Increment(ref failedInPhase[Volatile.Read(ref phase), owner[k]]);
                }
            })).ToArray();
            long Succeeded(int instance) => Enumerable.Range(0, keys).Where(k => owner[k] == instance).Sum(k => Interlocked.Read(ref ok[k]));
            await Wait.UntilAsync(() => Enumerable.Range(0, 3).All(i => Succeeded(i) > 500), "load on every instance's keys", 60_000);

            await gcms[1].KillAsync();
            Volatile.Write(ref phase, 1);
            long others = Succeeded(0) + Succeeded(2);
            await Wait.UntilAsync(() => Interlocked.Read(ref failedInPhase[1, 1]) > 0, "transactions on instance 1's keys fail", T.GlobalDaemonTimeout + 10_000);
            await Wait.UntilAsync(() => Succeeded(0) + Succeeded(2) > others + 2000, "the other instances' keys keep working", 30_000);
            await gcms[1].RestartAsync(index: 1);
            // A server holding one of instance 1's keys in Modify may keep committing on it while instance 1 is down, so
            // progress on those keys proves nothing until both servers have logged in to the restarted instance.
            await Wait.UntilAsync(() => servers.All(s => ((GlobalCacheAgent)s.App.GlobalAgent!).LoginCount(1) >= 2),
                "both servers log in to the restarted instance 1", T.GlobalDaemonTimeout + 10_000);
            long one = Succeeded(1);
            await Wait.UntilAsync(() => Succeeded(1) > one + 500, "instance 1's keys work again after its quarantine", T.GlobalDaemonTimeout + 30_000);
            Volatile.Write(ref phase, 2);
            stop.Cancel();
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(2));

            string summary = string.Join("; ", Enumerable.Range(0, 3).Select(p => $"phase {p}: failed on instance 0/1/2 = {failedInPhase[p, 0]}/{failedInPhase[p, 1]}/{failedInPhase[p, 2]}"));
            output.WriteLine("T-18: " + summary);
            for (int p = 0; p < 3; p++)
            {
                Assert.True(failedInPhase[p, 0] == 0 && failedInPhase[p, 2] == 0, "transactions on the live instances' keys failed: " + summary);
            }
            for (long k = 0; k < keys; k++) Assert.Equal(Interlocked.Read(ref ok[k]), await servers[1].ReadAsync(k));
        }
        finally
        {
            foreach (var g in gcms) await g.DisposeAsync();
        }
    }
}
