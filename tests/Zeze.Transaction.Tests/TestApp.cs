using TestTx.Demo;
using Zeze.Serialize;

namespace Zeze.Transaction.Tests;

/// <summary>An application over the test schema and a database that outlives it (to test restarts).</summary>
internal sealed class TestApp : IAsyncDisposable
{
    public readonly Application App;
    public readonly ModuleDemo Demo;
    public readonly ScratchDatabase Db;

    private TestApp(Application app, ModuleDemo demo, ScratchDatabase db)
    {
        App = app;
        Demo = demo;
        Db = db;
    }

    public static async Task<TestApp> StartAsync(ScratchDatabase? db = null, Action<ZezeOptions>? configure = null)
    {
        db ??= new ScratchDatabase();
        var options = new ZezeOptions { CheckpointPeriod = TimeSpan.Zero };
        options.Tables["TestTx_Demo_TImportant"] = new TableOptions { CheckpointWhenCommit = true };
        configure?.Invoke(options);
        var app = new Application(options);
        app.AddDatabase(db, owned: false);
        var demo = new ModuleDemo(app);
        await app.StartAsync();
        return new TestApp(app, demo, db);
    }

    public ValueTask<long> Run(Func<ValueTask<long>> action, string name = "test") => App.RunAsync(action, name);

    public async Task<Value?> Read(long key)
    {
        Value? v = null;
        var rc = await App.RunAsync(async () => { v = (await Demo.T1.GetAsync(key))?.Copy(); return 0; }, "read");
        Assert.Equal(0, rc);
        return v;
    }

    /// <summary>The value stored in the database (not the cache).</summary>
    public Value? Stored(string table, long key)
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteLong(key);
        var bytes = Db.Table(table).Get(bb.Span);
        if (bytes == null) return null;
        var v = new Value();
        v.Decode(ByteBuffer.Wrap(bytes));
        return v;
    }

    public async ValueTask DisposeAsync() => await App.StopAsync();
}
