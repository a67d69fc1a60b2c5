using TestTx.Demo;
using Zeze.Storage;
using Zeze.Storage.Memory;

namespace Zeze.Transaction.Tests;

/// <summary>
/// Several servers in one process sharing one database object, kept coherent through the global cache path of the
/// core (with the in-process coherence model standing in for the GCM).
/// </summary>
public class SharedCacheTests
{
    private sealed class Cluster : IAsyncDisposable
    {
        public readonly CoherenceModel Model = new();
        public readonly MemoryDatabase Db;
        public readonly List<(Application App, ModuleDemo Demo)> Servers = [];
        private readonly string _store = TestApp.NewStore();

        public Cluster() => Db = MemoryDatabase.Open(new DatabaseOptions { Kind = DatabaseKind.Memory, ConnectionString = _store });

        public async Task<(Application App, ModuleDemo Demo)> AddServerAsync(int serverId)
        {
            var app = new Application(new ZezeOptions { ServerId = serverId, CheckpointPeriod = TimeSpan.FromMilliseconds(200), ClearInUseOnStart = true });
            app.AddDatabase(Db, owned: false);
            var demo = new ModuleDemo(app);
            app.UseGlobalCache(Model.Join(serverId, app.GlobalCacheHandler), "model");
            await app.StartAsync();
            Servers.Add((app, demo));
            return (app, demo);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (app, _) in Servers) await app.StopAsync();
            await Db.DisposeAsync();
            MemoryDatabase.DropStore(_store);
        }
    }

    [Fact]
    public async Task T1_TwoServersIncrementOneKey()
    {
        await using var c = new Cluster();
        var a = await c.AddServerAsync(1);
        var b = await c.AddServerAsync(2);
        var tasks = new List<Task<long>>();
        for (int i = 0; i < 2000; i++)
        {
            foreach (var (app, demo) in new[] { a, b })
            {
                tasks.Add(app.ExecuteAsync(async () => { (await demo.T1.GetOrAddAsync(1)).I1 += 1; return 0; }, "inc").AsTask());
            }
        }
        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.All(results, rc => Assert.Equal(0, rc));
        c.Model.AssertCoherent();
        foreach (var (app, demo) in new[] { a, b })
        {
            int value = 0;
            Assert.Equal(0, await app.RunAsync(async () => { value = (await demo.T1.GetAsync(1))!.I1; return 0; }, "read"));
            Assert.Equal(4000, value);
        }
        Assert.True(c.Model.Reduces > 0);
    }

    [Fact]
    public async Task T5_T6_ReadAfterWriteAcrossServersSeesWholeTransactions()
    {
        await using var c = new Cluster();
        var (appA, demoA) = await c.AddServerAsync(1);
        var (appB, demoB) = await c.AddServerAsync(2);
        // A commits one transaction writing two records (not yet checkpointed).
        Assert.Equal(0, await appA.RunAsync(async () =>
        {
            (await demoA.T1.GetOrAddAsync(10)).I1 = 100;
            (await demoA.T1.GetOrAddAsync(11)).I1 = 110;
            return 0;
        }, "write-two"));
        // B reads them: the reduce flushed A's set (both records, one database transaction) before the grant.
        int v10 = 0, v11 = 0;
        Assert.Equal(0, await appB.RunAsync(async () =>
        {
            v10 = (await demoB.T1.GetAsync(10))!.I1;
            v11 = (await demoB.T1.GetAsync(11))!.I1;
            return 0;
        }, "read-two"));
        Assert.Equal(100, v10);
        Assert.Equal(110, v11);
        // And back: B writes, A reads B's value.
        Assert.Equal(0, await appB.RunAsync(async () => { (await demoB.T1.GetAsync(10))!.I1 = 101; return 0; }, "b-writes"));
        Assert.Equal(0, await appA.RunAsync(async () => { v10 = (await demoA.T1.GetAsync(10))!.I1; return 0; }, "a-reads"));
        Assert.Equal(101, v10);
        c.Model.AssertCoherent();
    }

    [Fact]
    public async Task BankAcrossThreeServersKeepsTheTotal()
    {
        await using var c = new Cluster();
        var servers = new[] { await c.AddServerAsync(1), await c.AddServerAsync(2), await c.AddServerAsync(3) };
        const int Accounts = 20;
        Assert.Equal(0, await servers[0].App.RunAsync(async () =>
        {
            for (long k = 0; k < Accounts; k++) (await servers[0].Demo.TAccount.GetOrAddAsync(k)).Balance = 1000;
            return 0;
        }, "init"));
        var tasks = new List<Task<long>>();
        var rnd = new Random(3);
        for (int i = 0; i < 3000; i++)
        {
            var (app, demo) = servers[i % 3];
            long from = rnd.Next(Accounts), to = rnd.Next(Accounts), amount = rnd.Next(1, 50);
            tasks.Add(app.ExecuteAsync(async () =>
            {
                var x = (await demo.TAccount.GetAsync(from))!;
                var y = (await demo.TAccount.GetAsync(to))!;
                if (x.Balance < amount) return 1;
                x.Balance -= amount;
                y.Balance += amount;
                return 0;
            }, "transfer").AsTask());
        }
        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.All(results, rc => Assert.True(rc == 0 || rc == 1, $"rc {rc}"));
        foreach (var (app, demo) in servers)
        {
            long total = 0;
            Assert.Equal(0, await app.RunAsync(async () =>
            {
                for (long k = 0; k < Accounts; k++) total += (await demo.TAccount.GetAsync(k))!.Balance;
                return 0;
            }, "total"));
            Assert.Equal(Accounts * 1000, total);
        }
        c.Model.AssertCoherent();
    }
}
