using TestTx.Demo;
using Zeze.Storage;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;

namespace Zeze.Transaction.Tests.Servers;

/// <summary>An application over the test schema on a database given in the <c>--db</c> syntax (mysql:, postgres:, ...).</summary>
internal sealed class ServerApp : IAsyncDisposable
{
    public const string ImportantTable = "TestTx_Demo_TImportant";

    private ServerApp(Application app, ModuleDemo demo)
    {
        App = app;
        Demo = demo;
    }

    public Application App { get; }
    public ModuleDemo Demo { get; }

    public static async Task<ServerApp> StartAsync(string db, Action<ZezeOptions>? configure = null)
    {
        var options = new ZezeOptions
        {
            Name = "server-test-" + Guid.NewGuid().ToString("N")[..8], // a distinct meter tag per application
            CheckpointPeriod = TimeSpan.FromMilliseconds(200),
            ClearInUseOnStart = true,
        };
        options.Databases[""] = DatabaseOptions.Parse(db);
        configure?.Invoke(options);
        var app = new Application(options);
        app.DatabaseFactory.AddMySql().AddPostgres();
        var demo = new ModuleDemo(app);
        await app.StartAsync();
        return new ServerApp(app, demo);
    }

    /// <summary>Every account's balance, read through a procedure (loading from the database what is not cached).</summary>
    public async Task<long[]> BalancesAsync()
    {
        var balances = new long[BankTests.Accounts];
        Assert.Equal(0, await App.RunAsync(async () =>
        {
            for (int a = 0; a < balances.Length; a++) balances[a] = (await Demo.TAccount.GetAsync(a))?.Balance ?? -1;
            return 0;
        }, "balances"));
        return balances;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
