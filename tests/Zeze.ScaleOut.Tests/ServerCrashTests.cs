using System.Diagnostics;
using Xunit.Abstractions;

namespace Zeze.ScaleOut.Tests;

/// <summary>
/// App server processes killed with SIGKILL while others share their database through the GCM (global-and-raft.md
/// T-11, T-12): the others never see data the killed server had not written, nor half of a transaction.
/// </summary>
public class ServerCrashTests(ITestOutputHelper output)
{
    private static readonly Services.GlobalCache.AchillesHeelTiming T = GcmProcess.Timing;

    [Fact]
    public async Task T11_KilledServerWithUnwrittenDataBlocksItsKeysUntilTheGcmLetsItGo()
    {
        await using var pg = await PostgresSchema.CreateAsync();
        await using var c = await LocalCluster.StartAsync(pg.Spec);
        var b = await c.AddServerAsync(2);
        await using var a = await ServerProcess.StartAsync(pg.Spec, c.Managers, 1, checkpointMs: 3_600_000);
        Assert.Equal(0, await a.WriteAsync(42, 1));
        await a.CheckpointAsync(); // 1 is in the database
        Assert.Equal(0, await a.WriteAsync(42, 2)); // 2 is only in A's cache; A holds 42 in Modify
        long killedAt = Stopwatch.GetTimestamp();
        await a.KillAsync();

        // B asks for 42: the reduce cannot reach A, so B's transactions abort (first a failed reduce, then the forbid
        // period fails them at once), until the GCM has not heard from A for GlobalDaemonTimeout and releases A's keys.
        var attempts = new List<(double Ms, long Code, long Value)>();
        while (true)
        {
            long value = -1;
            long rc = await b.RunAsync(async () => { value = (await b.Shared.tValue.GetAsync(42))?.Value ?? -1; return 0; }, "read");
            double ms = Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds;
            attempts.Add((ms, rc, value));
            if (rc == 0) break;
            Assert.True(ms < T.GlobalDaemonTimeout + 10_000, $"B still cannot read 42 {ms:0} ms after A was killed");
            await Task.Delay(20); // a client retrying
        }
        var (successMs, _, seen) = attempts[^1];
        output.WriteLine($"T-11: {attempts.Count - 1} aborted attempts ({string.Join(",", attempts.SkipLast(1).Select(x => x.Code).Distinct())}), " +
            $"then B read {seen} at {successMs:0} ms after the kill (GlobalDaemonTimeout {T.GlobalDaemonTimeout} ms)");
        Assert.Equal(1, seen); // the last value A wrote to the database, never the one it only had in memory
        Assert.True(attempts.Count > 1, "B was granted the key at once although A held it");
        // A's last sign of life came at most a keep-alive (MaxNetPing) before the kill.
        Assert.True(successMs >= T.GlobalDaemonTimeout - 2 * T.MaxNetPing, $"B got the key {successMs:0} ms after the kill, before GlobalDaemonTimeout");
    }

    [Fact]
    public async Task T12_ServerKilledWhileWritingPairsLeavesWholeTransactions()
    {
        await using var pg = await PostgresSchema.CreateAsync();
        await using var c = await LocalCluster.StartAsync(pg.Spec);
        var b = await c.AddServerAsync(2);
        var rnd = new Random(12);
        long pairsRead = 0, commitsSeen = 0;
        ServerProcess? a = await ServerProcess.StartAsync(pg.Spec, c.Managers, 1, checkpointMs: 50);
        try
        {
            for (int round = 0; round < 4; round++)
            {
                // A writes tValue[20] and tValue[21] to the same value in each transaction (Table mode, checkpoint
                // every 50 ms), while B reads both in one transaction: each read takes the records from A, whose
                // reduce writes the pair as one database transaction.
                await a!.Child.SendAsync("pairs 20 21");
                await a.Child.ExpectAsync(TimeSpan.FromSeconds(30), "COMMIT ");
                var run = Stopwatch.StartNew();
                int runMs = rnd.Next(200, 1200);
                while (run.ElapsedMilliseconds < runMs)
                {
                    var (rc, v1, v2) = await ReadPairAsync(b);
                    if (rc == 0)
                    {
                        Assert.True(v1 == v2, $"round {round}: B read a half transaction: {v1} / {v2}");
                        pairsRead++;
                    }
                    await Task.Yield();
                }
                commitsSeen += a.Child.Drain().Count;
                await a.KillAsync(); // somewhere between a commit and its write, or in the middle of one
                await a.DisposeAsync();
                a = null;
                // Odd rounds: A comes back at once (its Login makes the GCM release what it held); even rounds: B
                // waits until the GCM gives A up.
                if (round % 2 == 1) a = await ServerProcess.StartAsync(pg.Spec, c.Managers, 1, checkpointMs: 50);
                long afterKill = Stopwatch.GetTimestamp();
                (long Code, long V1, long V2) last = default;
                await Wait.UntilAsync(async () =>
                {
                    last = await ReadPairAsync(b);
                    return last.Code == 0;
                }, "B reads the pair after the kill", T.GlobalDaemonTimeout + 10_000);
                Assert.True(last.V1 == last.V2, $"round {round}: after the kill B read a half transaction: {last.V1} / {last.V2}");
                output.WriteLine($"round {round}: killed after {runMs} ms; B read the pair ({last.V1}) {Stopwatch.GetElapsedTime(afterKill).TotalMilliseconds:0} ms later");
                a ??= await ServerProcess.StartAsync(pg.Spec, c.Managers, 1, checkpointMs: 50);
            }
        }
        finally
        {
            if (a != null) await a.DisposeAsync();
        }
        Assert.True(pairsRead > 0 && commitsSeen > 0);
        output.WriteLine($"T-12: 4 kills; {commitsSeen} pair commits by A, {pairsRead} pairs read by B while A ran, never a half transaction");
    }

    private static async Task<(long Code, long V1, long V2)> ReadPairAsync(LocalCluster.Server b)
    {
        long v1 = -1, v2 = -1;
        long rc = await b.RunAsync(async () =>
        {
            v1 = (await b.Shared.tValue.GetAsync(20))?.Value ?? -1;
            v2 = (await b.Shared.tValue.GetAsync(21))?.Value ?? -1;
            return 0;
        }, "read-pair");
        return (rc, v1, v2);
    }
}
