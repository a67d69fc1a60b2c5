using System.Diagnostics;
using Bank.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zeze;
using Zeze.Hosting;

// A bank on Zeze for .NET: many concurrent transfers, a stop, a restart on the same embedded RocksDB, and a check
// that not a cent was created or lost. Run it with:  dotnet run --project samples/Bank
const int Accounts = 100;
const long Initial = 1_000;
const int Transfers = 200_000;

Console.WriteLine("== run 1: open accounts and make transfers concurrently");
long expected = Accounts * Initial;
await using (var run = await BankHost.StartAsync(args))
{
    int existing = await run.Accounts.OpenAccountsAsync(Accounts, Initial);
    Console.WriteLine(existing == 0 ? $"opened {Accounts} accounts with {Initial} each" : $"found {existing} accounts from an earlier run");
    var sw = Stopwatch.StartNew();
    var rnd = new Random(42);
    var results = new ValueTask<long>[Transfers];
    for (int i = 0; i < Transfers; i++)
    {
        long from = rnd.Next(Accounts), to = rnd.Next(Accounts), amount = rnd.Next(1, 100);
        // ExecuteAsync hands the procedure to the framework's scheduler, which decides how many run at once.
        results[i] = run.App.ExecuteAsync(() => run.Accounts.TransferAsync(from, to, amount), "transfer");
    }
    int done = 0, refused = 0;
    foreach (var r in results)
    {
        long rc = await r;
        if (rc == 0) done++;
        else refused++;
    }
    Console.WriteLine($"{done} transfers committed, {refused} refused (insufficient funds) in {sw.Elapsed.TotalSeconds:F2} s " +
                      $"({Transfers / sw.Elapsed.TotalSeconds:N0} procedures/s, {run.App.Metrics.RedoCount} redone after conflicts)");
    Console.WriteLine($"total before stopping: {await run.Accounts.TotalAsync(Accounts)}");
    Console.WriteLine("stopping: the final checkpoint writes everything to RocksDB");
}

Console.WriteLine("== run 2: restart on the same data");
await using (var run = await BankHost.StartAsync(args))
{
    long total = await run.Accounts.TotalAsync(Accounts);
    bool ok = total == expected;
    Console.WriteLine($"total after restart: {total} (expected {expected}) -> {(ok ? "the totals add up" : "MISMATCH")}");
    return ok ? 0 : 1;
}

/// <summary>The application in a Generic Host: options from appsettings.json, environment and command line.</summary>
internal sealed class BankHost : IAsyncDisposable
{
    private readonly IHost _host;

    private BankHost(IHost host)
    {
        _host = host;
        App = host.Services.GetRequiredService<Application>();
        Accounts = host.Services.GetRequiredService<ModuleAccounts>();
    }

    public Application App { get; }
    public ModuleAccounts Accounts { get; }

    public static async Task<BankHost> StartAsync(string[] args)
    {
        // appsettings.json sits beside the program: found whatever folder `dotnet run --project` starts in.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddZeze(builder.Configuration).AddModule<ModuleAccounts>();
        var host = builder.Build();
        await host.StartAsync();
        return new BankHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
