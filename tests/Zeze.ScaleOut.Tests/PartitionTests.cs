using System.Diagnostics;
using Xunit.Abstractions;

namespace Zeze.ScaleOut.Tests;

/// <summary>
/// A live server cut off from the GCM (global-and-raft.md T-13, T-14): it gives its keys up by itself (writing its
/// data) before the GCM hands them to others, or halts when it cannot write in time; either way nobody reads data
/// that is about to change.
/// </summary>
public class PartitionTests(ITestOutputHelper output)
{
    private static readonly Services.GlobalCache.AchillesHeelTiming T = GcmProcess.Timing;

    [Fact]
    public async Task T13_PartitionedServerReleasesLocallyBeforeTheGcmReleasesIt()
    {
        await using var pg = await PostgresSchema.CreateAsync();
        await using var c = await LocalCluster.StartAsync(pg.Spec);
        var b = await c.AddServerAsync(2);
        await using var toGcm = TcpFaultProxy.Start("127.0.0.1", c.Gcm!.Port);
        await using var a = await ServerProcess.StartAsync(pg.Spec, toGcm.Address, 1, checkpointMs: 3_600_000, "--gcm-name", c.Managers);
        Assert.Equal(0, await a.WriteAsync(42, 5)); // only in A's cache; A holds 42 in Modify

        long cutAt = Stopwatch.GetTimestamp();
        Partition(toGcm);
        // A hears nothing for ServerDaemonTimeout: it invalidates its records and writes its data, well before the GCM
        // gives up on it (GlobalDaemonTimeout).
        await Wait.UntilAsync(() => a.Child.Stderr.Contains("local release of GCM 0 done", StringComparison.Ordinal), "A's local release", T.GlobalDaemonTimeout);
        double releasedMs = Stopwatch.GetElapsedTime(cutAt).TotalMilliseconds;
        Assert.True(releasedMs < T.GlobalDaemonTimeout, $"A's local release ended {releasedMs:0} ms after the cut, after GlobalDaemonTimeout");

        var (successMs, seen, aborted) = await ReadUntilGrantedAsync(b, 42, cutAt);
        output.WriteLine($"T-13: A released locally {releasedMs:0} ms after the cut; B aborted {aborted} times, then read {seen} at {successMs:0} ms (GlobalDaemonTimeout {T.GlobalDaemonTimeout} ms)");
        Assert.Equal(5, seen); // what A wrote during its local release
        Assert.True(successMs >= T.GlobalDaemonTimeout - 2 * T.MaxNetPing, $"B got the key {successMs:0} ms after the cut, before GlobalDaemonTimeout");

        // The network heals: A logs in again (the GCM kicked its session) and works.
        toGcm.Heal();
        toGcm.CutAll();
        long healedAt = Stopwatch.GetTimestamp();
        await Wait.UntilAsync(async () => await a.WriteAsync(42, 6) == 0, "A writes again after the partition heals", 30_000);
        // B may still be inside the forbid period that A's failed reduces opened: a client retries.
        var (_, after, _) = await ReadUntilGrantedAsync(b, 42, healedAt);
        Assert.Equal(6, after);
    }

    [Fact]
    public async Task T14_ServerThatCannotWriteInTimeHaltsBeforeTheGcmLetsGo()
    {
        await using var pg = await PostgresSchema.CreateAsync();
        await using var c = await LocalCluster.StartAsync(pg.Spec);
        var b = await c.AddServerAsync(2);
        await using var toGcm = TcpFaultProxy.Start("127.0.0.1", c.Gcm!.Port);
        var pgBuilder = new Npgsql.NpgsqlConnectionStringBuilder(pg.ConnectionString);
        await using var toDb = TcpFaultProxy.Start(pgBuilder.Host!, pgBuilder.Port);
        pgBuilder.Host = "127.0.0.1";
        pgBuilder.Port = toDb.Port;
        await using var a = await ServerProcess.StartAsync("postgres:" + pgBuilder.ConnectionString, toGcm.Address, 1, checkpointMs: 3_600_000, "--gcm-name", c.Managers);
        Assert.Equal(0, await a.WriteAsync(42, 1));
        await a.CheckpointAsync(); // 1 is in the database
        Assert.Equal(0, await a.WriteAsync(42, 2)); // 2 only in A's cache

        // A's database stops answering (its writes hang), then A loses the GCM.
        toDb.Pause();
        long cutAt = Stopwatch.GetTimestamp();
        Partition(toGcm);
        // The local release cannot write within ServerReleaseTimeout: A stops itself, before GlobalDaemonTimeout.
        await a.Child.WaitForExitAsync(TimeSpan.FromMilliseconds(T.GlobalDaemonTimeout + 10_000));
        double haltedMs = Stopwatch.GetElapsedTime(cutAt).TotalMilliseconds;
        output.WriteLine($"T-14: A exited with {a.Child.ExitCode} {haltedMs:0} ms after the cut");
        Assert.NotEqual(0, a.Child.ExitCode);
        Assert.Contains("halting the process", a.Child.Stderr, StringComparison.Ordinal);
        Assert.True(haltedMs < T.GlobalDaemonTimeout, $"A halted {haltedMs:0} ms after the cut, not before GlobalDaemonTimeout ({T.GlobalDaemonTimeout} ms)");

        // C2: B is granted 42 only after A is gone, and reads what is in the database (A's 2 died with it).
        toDb.Resume();
        var (successMs, seen, aborted) = await ReadUntilGrantedAsync(b, 42, cutAt);
        output.WriteLine($"T-14: B aborted {aborted} times, then read {seen} at {successMs:0} ms");
        Assert.Equal(1, seen);
        Assert.True(successMs >= haltedMs, "B was granted the key while A was still alive");
    }

    /// <summary>Drops everything both ways and refuses new connections: A and the GCM hear nothing from each other.</summary>
    private static void Partition(TcpFaultProxy proxy)
    {
        proxy.RejectNewConnections = true;
        proxy.SetDrop(ProxyDirection.ClientToServer, true);
        proxy.SetDrop(ProxyDirection.ServerToClient, true);
    }

    /// <summary>Reads <paramref name="key"/> on <paramref name="b"/> until a transaction succeeds; returns when (ms after <paramref name="since"/>), what, and how many aborted first.</summary>
    private static async Task<(double Ms, long Value, int Aborted)> ReadUntilGrantedAsync(LocalCluster.Server b, long key, long since)
    {
        int aborted = 0;
        while (true)
        {
            long value = -1;
            long rc = await b.RunAsync(async () => { value = (await b.Shared.tValue.GetAsync(key))?.Value ?? -1; return 0; }, "read");
            double ms = Stopwatch.GetElapsedTime(since).TotalMilliseconds;
            if (rc == 0) return (ms, value, aborted);
            aborted++;
            if (ms > T.GlobalDaemonTimeout + 10_000) throw new TimeoutException($"B still cannot read {key} {ms:0} ms later (last code {rc})");
            await Task.Delay(20); // a client retrying
        }
    }
}
