using System.Collections.Concurrent;
using TestTx.Demo;

namespace Zeze.Transaction.Tests;

/// <summary>
/// The bank of the transactions issue: 64 concurrent tasks × 10,000 random transfers over 100 accounts; 10 % of the
/// procedures throw or return an error after writing. The total never changes, no account goes negative, and every
/// account equals the replay of the transfers that committed: failed procedures left no trace.
/// </summary>
public class BankTests
{
    public const int Tasks = 64;
    public const int TransfersPerTask = 10_000;
    public const int Accounts = 100;
    public const long Initial = 10_000;

    /// <summary>Runs the bank on an application whose tables are already registered and started.</summary>
    internal static async Task RunBank(Application app, TAccount accounts, int tasks = Tasks, int perTask = TransfersPerTask)
    {
        Assert.Equal(0, await app.RunAsync(async () =>
        {
            for (long a = 0; a < Accounts; a++) (await accounts.GetOrAddAsync(a)).Balance = Initial;
            return 0;
        }, "init"));
        var committed = new ConcurrentQueue<(long From, long To, long Amount)>();
        long failedAsExpected = 0;
        var workers = Enumerable.Range(0, tasks).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(w * 7919 + 1);
            for (int i = 0; i < perTask; i++)
            {
                long from = rnd.Next(Accounts), to = rnd.Next(Accounts), amount = rnd.Next(1, 200);
                int fault = rnd.Next(100);
                long rc = await app.RunAsync(async () =>
                {
                    var a = (await accounts.GetAsync(from))!;
                    var b = (await accounts.GetAsync(to))!;
                    if (a.Balance < amount) return 1; // refuse to overdraw
                    a.Balance -= amount;
                    b.Balance += amount;
                    if (fault < 5) throw new InvalidOperationException("injected fault after writing");
                    if (fault < 10) return 2; // an application error after writing
                    Transaction.Current!.WhileCommit(() => committed.Enqueue((from, to, amount)));
                    return 0;
                }, "transfer");
                if (rc != 0 && rc != 1)
                {
                    Assert.True(fault < 10, $"unexpected result {rc}");
                    Assert.True(rc == 2 || rc == ResultCode.Exception, $"unexpected result {rc}");
                    Interlocked.Increment(ref failedAsExpected);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(failedAsExpected > tasks * perTask / 20, $"only {failedAsExpected} injected failures");

        var replay = Enumerable.Range(0, Accounts).ToDictionary(i => (long)i, _ => Initial);
        foreach (var (from, to, amount) in committed)
        {
            replay[from] -= amount;
            replay[to] += amount;
        }
        long total = 0;
        Assert.Equal(0, await app.RunAsync(async () =>
        {
            for (long a = 0; a < Accounts; a++)
            {
                long balance = (await accounts.GetAsync(a))!.Balance;
                Assert.True(balance >= 0, $"account {a} is negative");
                Assert.Equal(replay[a], balance);
                total += balance;
            }
            return 0;
        }, "verify"));
        Assert.Equal(Accounts * Initial, total);
    }

    [Fact]
    public async Task BankOnMemory()
    {
        await using var t = await TestApp.StartAsync();
        await RunBank(t.App, t.Demo.TAccount);
        await t.App.CheckpointNowAsync();
    }

    [Fact]
    public async Task BankOnRocksDbSurvivesRestart()
    {
        string dir = Path.Combine(Path.GetTempPath(), "zeze-bank-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var a = await RocksApp(dir))
            {
                await RunBank(a.App, a.Demo.TAccount, tasks: 16, perTask: 2000);
            }
            await using var b = await RocksApp(dir);
            long total = 0;
            Assert.Equal(0, await b.App.RunAsync(async () =>
            {
                for (long a = 0; a < Accounts; a++) total += (await b.Demo.TAccount.GetAsync(a))!.Balance;
                return 0;
            }, "total"));
            Assert.Equal(Accounts * Initial, total);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class RocksHandle(Application app, ModuleDemo demo) : IAsyncDisposable
    {
        public Application App { get; } = app;
        public ModuleDemo Demo { get; } = demo;
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<RocksHandle> RocksApp(string dir)
    {
        var options = new ZezeOptions { CheckpointPeriod = TimeSpan.FromMilliseconds(300) };
        options.Databases[""] = Zeze.Storage.DatabaseOptions.Parse("rocksdb:" + dir);
        var app = new Application(options);
        var demo = new ModuleDemo(app);
        await app.StartAsync();
        return new RocksHandle(app, demo);
    }
}
