namespace Zeze.Transaction.Tests;

public class SmokeTests
{
    [Fact]
    public async Task IncrementsPersistAndConcurrentAddsAreSerializable()
    {
        var db = new ScratchDatabase();
        var app = new Application(new ZezeOptions { CheckpointPeriod = TimeSpan.Zero });
        app.AddDatabase(db);
        var t = app.AddTable(new TCounter());
        await app.StartAsync();
        for (int i = 0; i < 100; i++)
            Assert.Equal(0, await app.RunAsync(async () => { (await t.GetOrAddAsync(0)).Value += 1; return 0; }));
        var tasks = Enumerable.Range(0, 2000).Select(_ => Task.Run(() => app.RunAsync(async () => { (await t.GetOrAddAsync(1)).Value += 1; return 0; }).AsTask())).ToArray();
        Assert.All(await Task.WhenAll(tasks), rc => Assert.Equal(0, rc));
        long v0 = 0, v1 = 0;
        await app.RunAsync(async () => { v0 = (await t.GetAsync(0))!.Value; v1 = (await t.GetAsync(1))!.Value; return 0; });
        Assert.Equal(100, v0);
        Assert.Equal(2000, v1);
        await app.CheckpointNowAsync();
        Assert.True(db.Commits > 0);
        await app.StopAsync();
    }
}
