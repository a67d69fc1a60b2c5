using TestTx.Demo;
using Zeze.Serialize;
using Zeze.Storage;
using Zeze.Storage.Memory;

namespace Zeze.Transaction.Tests;

/// <summary>
/// An application over the test schema and a memory store that outlives it: starting again on the same store is a
/// restart.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public readonly Application App;
    public readonly ModuleDemo Demo;
    public readonly string Store;
    public readonly MemoryDatabase Db;

    private TestApp(Application app, ModuleDemo demo, string store, MemoryDatabase db)
    {
        App = app;
        Demo = demo;
        Store = store;
        Db = db;
    }

    public static string NewStore() => "tx-test-" + Guid.NewGuid().ToString("N");

    public static async Task<TestApp> StartAsync(string? store = null, Action<ZezeOptions>? configure = null)
    {
        store ??= NewStore();
        var options = new ZezeOptions { CheckpointPeriod = TimeSpan.Zero, ClearInUseOnStart = true };
        options.Tables["TestTx_Demo_TImportant"] = new TableOptions { CheckpointWhenCommit = true };
        configure?.Invoke(options);
        var db = MemoryDatabase.Open(new DatabaseOptions { Name = "", Kind = DatabaseKind.Memory, ConnectionString = store });
        var app = new Application(options);
        app.AddDatabase(db);
        var demo = new ModuleDemo(app);
        await app.StartAsync();
        return new TestApp(app, demo, store, db);
    }

    public ValueTask<long> Run(Func<ValueTask<long>> action, string name = "test") => App.RunAsync(action, name);

    public async Task<Value?> Read(long key)
    {
        Value? v = null;
        var rc = await App.RunAsync(async () => { v = (await Demo.T1.GetAsync(key))?.Copy(); return 0; }, "read");
        Assert.Equal(0, rc);
        return v;
    }

    /// <summary>The value stored in the database for a long key (not the cache).</summary>
    public async Task<Value?> Stored(string table, long key)
    {
        await using var db = MemoryDatabase.Open(new DatabaseOptions { Name = "probe", Kind = DatabaseKind.Memory, ConnectionString = Store });
        var t = await db.OpenTableAsync(table);
        var bb = ByteBuffer.Allocate();
        bb.WriteLong(key);
        var bytes = await t.FindAsync(bb.ToArray());
        if (bytes == null) return null;
        var v = new Value();
        v.Decode(ByteBuffer.Wrap(bytes));
        return v;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        MemoryDatabase.DropStore(Store);
    }
}
