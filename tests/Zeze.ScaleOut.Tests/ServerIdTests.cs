using Xunit.Abstractions;

namespace Zeze.ScaleOut.Tests;

/// <summary>A second process with a live server's id (global-and-raft.md T-19).</summary>
public class ServerIdTests(ITestOutputHelper output)
{
    [Fact]
    public async Task T19_SecondProcessWithALiveServerIdIsRefused()
    {
        await using var pg = await PostgresSchema.CreateAsync();
        await using var c = await LocalCluster.StartAsync(pg.Spec);
        await using var a = await ServerProcess.StartAsync(pg.Spec, c.Managers, 7);
        Assert.Equal(0, await a.WriteAsync(1, 1));

        // The database's in-use mark refuses it.
        string refusedByDb;
        await using (var twin = ServerProcess.Launch(pg.Spec, c.Managers, 7, 200, "--keep-in-use"))
            refusedByDb = await twin.Child.ExpectAsync(TimeSpan.FromSeconds(90), "READY", "START-FAILED");
        output.WriteLine(refusedByDb);
        Assert.StartsWith("START-FAILED", refusedByDb);
        Assert.Contains("server id 7", refusedByDb, StringComparison.Ordinal);

        // With the mark cleared (as after a crash), the GCM refuses the Login of a live server id (120).
        string refusedByGcm;
        await using (var twin = ServerProcess.Launch(pg.Spec, c.Managers, 7))
            refusedByGcm = await twin.Child.ExpectAsync(TimeSpan.FromSeconds(90), "READY", "START-FAILED");
        output.WriteLine(refusedByGcm);
        Assert.StartsWith("START-FAILED", refusedByGcm);
        Assert.Contains("LoginBindSocketFail", refusedByGcm, StringComparison.Ordinal);

        // The live server was not disturbed.
        Assert.Equal(0, await a.WriteAsync(1, 2));
        Assert.Equal((0, 2), await a.ReadAsync(1));
    }
}
