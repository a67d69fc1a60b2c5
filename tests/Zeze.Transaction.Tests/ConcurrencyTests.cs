using TestTx.Demo;

namespace Zeze.Transaction.Tests;

/// <summary>Scenarios T8–T10, T13, T19, T20: optimistic concurrency, redo with lock retention, no deadlock.</summary>
public class ConcurrencyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task T8_ConcurrentIncrementsAreAllCounted()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () => { await t.Demo.T1.RemoveAsync(8); return 0; }));
        var tasks = Enumerable.Range(0, 2000).Select(_ => t.App.ExecuteAsync(async () =>
        {
            (await t.Demo.T1.GetOrAddAsync(8)).I1 += 1;
            return 0;
        }, "inc"));
        var results = await Task.WhenAll(tasks).WaitAsync(Bound);
        Assert.All(results, rc => Assert.Equal(0, rc));
        Assert.Equal(2000, (await t.Read(8))!.I1);
    }

    [Fact]
    public async Task T9_SerializableReadersAlwaysSeeTheInvariant()
    {
        await using var t = await TestApp.StartAsync();
        var accounts = t.Demo.TAccount;
        Assert.Equal(0, await t.Run(async () =>
        {
            (await accounts.GetOrAddAsync(1)).Balance = 100000;
            (await accounts.GetOrAddAsync(2)).Balance = 0;
            return 0;
        }));
        int violations = 0, checks = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await t.App.RunAsync(async () =>
                {
                    long sum = (await accounts.GetAsync(1))!.Balance + (await accounts.GetAsync(2))!.Balance;
                    Transaction.Current!.WhileCommit(() =>
                    {
                        Interlocked.Increment(ref checks);
                        if (sum != 100000) Interlocked.Increment(ref violations);
                    });
                    return 0;
                }, "verify");
            }
        });
        var transfers = Enumerable.Range(0, 20000).Select(i => t.App.ExecuteAsync(async () =>
        {
            // Both records accessed, in a random order; random amount and direction.
            bool flip = Random.Shared.Next(2) == 0;
            var a = await accounts.GetAsync(flip ? 1 : 2);
            var b = await accounts.GetAsync(flip ? 2 : 1);
            long amount = Math.Min(a!.Balance, Random.Shared.Next(1, 100));
            a.Balance -= amount;
            b!.Balance += amount;
            return 0;
        }, "transfer"));
        var results = await Task.WhenAll(transfers).WaitAsync(Bound);
        stop.Cancel();
        await reader.WaitAsync(Bound);
        Assert.All(results, rc => Assert.Equal(0, rc));
        Assert.True(checks > 0);
        Assert.Equal(0, violations);
        long total = 0;
        await t.Run(async () => { total = (await accounts.GetAsync(1))!.Balance + (await accounts.GetAsync(2))!.Balance; return 0; });
        Assert.Equal(100000, total);
    }

    [Fact]
    public async Task T10_StaleReadIsRedoneAndCommitActionRunsOnce()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(10);
            v.L2 = 1;
            v.Map15[1] = 100;
            return 0;
        }));
        var p2Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var p1Waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int p1Attempts = 0, p2Attempts = 0, p1Commits = 0;
        long result = 0;
        var p1 = t.App.ExecuteAsync(async () =>
        {
            p1Attempts++;
            var v = (await t.Demo.T1.GetAsync(10))!;
            long key = v.L2;
            if (p1Attempts == 1)
            {
                p1Waiting.SetResult();
                await p2Done.Task;
            }
            long read = v.Map15.TryGetValue(key, out var x) ? x : -1;
            Transaction.Current!.WhileCommit(() => { result = read; p1Commits++; });
            return 0;
        }, "P1");
        await p1Waiting.Task.WaitAsync(Bound);
        Assert.Equal(0, await t.App.ExecuteAsync(async () =>
        {
            p2Attempts++;
            var v = (await t.Demo.T1.GetAsync(10))!;
            v.Map15.Remove(v.L2);
            v.L2 = 2;
            v.Map15[2] = 200;
            return 0;
        }, "P2").WaitAsync(Bound));
        p2Done.SetResult();
        Assert.Equal(0, await p1.WaitAsync(Bound));
        Assert.Equal(200, result);
        Assert.Equal(2, p1Attempts);
        Assert.Equal(1, p2Attempts);
        Assert.Equal(1, p1Commits);
    }

    [Fact]
    public async Task T13_AnErrorComputedFromAStaleReadIsRedone()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(13)).I1 = 1; return 0; }));
        var qDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int attempts = 0, rollbacks = 0;
        var p = t.App.ExecuteAsync(async () =>
        {
            attempts++;
            var v = (await t.Demo.T1.GetAsync(13))!;
            int seen = v.I1;
            if (attempts == 1)
            {
                pRead.SetResult();
                await qDone.Task;
            }
            Transaction.Current!.WhileRollback(() => rollbacks++);
            return seen == 1 ? 5 : 0; // an error only when the (stale) value is 1
        }, "P");
        await pRead.Task.WaitAsync(Bound);
        Assert.Equal(0, await t.App.ExecuteAsync(async () => { (await t.Demo.T1.GetAsync(13))!.I1 = 2; return 0; }, "Q"));
        qDone.SetResult();
        Assert.Equal(0, await p.WaitAsync(Bound)); // redone: the error came from a stale read
        Assert.Equal(2, attempts);

        // Without a conflict the error stands after one attempt, its writes are discarded, rollback actions ran.
        attempts = 0;
        long rc = await t.Run(async () =>
        {
            attempts++;
            var v = (await t.Demo.T1.GetAsync(13))!;
            v.S3 = "discarded";
            Transaction.Current!.WhileRollback(() => rollbacks++);
            return 5;
        });
        Assert.Equal(5, rc);
        Assert.Equal(1, attempts);
        Assert.Equal(1, rollbacks);
        Assert.Equal("", (await t.Read(13))!.S3);
    }

    [Fact]
    public async Task T19_LockRetentionMakesTheSecondAttemptSucceed()
    {
        await using var t = await TestApp.StartAsync();
        var attemptsOf = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await t.App.RunAsync(async () => { (await t.Demo.T1.GetOrAddAsync(19)).I1 += 1; return 0; }, "writer");
        })).ToArray();
        for (int i = 0; i < 300; i++)
        {
            int attempts = 0;
            Assert.Equal(0, await t.App.ExecuteAsync(async () =>
            {
                attempts++;
                var v = await t.Demo.T1.GetOrAddAsync(19);
                await Task.Yield(); // let the writers commit in between
                v.L2 += 1;
                return 0;
            }, "measured").WaitAsync(Bound));
            attemptsOf.Add(attempts);
        }
        stop.Cancel();
        await Task.WhenAll(writers).WaitAsync(Bound);
        int atMostTwo = attemptsOf.Count(a => a <= 2);
        Assert.True(atMostTwo >= attemptsOf.Count * 0.99, $"attempts: {string.Join(",", attemptsOf.GroupBy(a => a).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"))}");
    }

    [Fact]
    public async Task T20_NoDeadlockUnderRandomMultiKeyTransactions()
    {
        await using var t = await TestApp.StartAsync();
        var accounts = t.Demo.TAccount;
        const int Keys = 20;
        Assert.Equal(0, await t.Run(async () =>
        {
            for (long k = 0; k < Keys; k++) (await accounts.GetOrAddAsync(k)).Balance = 1000;
            return 0;
        }));
        long tooManyTry = 0;
        var workers = Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(w);
            for (int i = 0; i < 5000; i++)
            {
                int n = rnd.Next(2, 6);
                var keys = Enumerable.Range(0, n).Select(_ => (long)rnd.Next(Keys)).Distinct().ToArray();
                int kind = rnd.Next(100);
                long rc = await t.App.RunAsync(async () =>
                {
                    // Transfer between the first two keys, read the others; random access order.
                    var first = await accounts.GetAsync(keys[0]);
                    for (int k = keys.Length - 1; k >= 2; k--) _ = (await accounts.GetAsync(keys[k]))!.Balance;
                    if (keys.Length > 1)
                    {
                        var second = await accounts.GetAsync(keys[1]);
                        long amount = Math.Min(first!.Balance, rnd.Next(1, 50));
                        first.Balance -= amount;
                        second!.Balance += amount;
                    }
                    if (kind < 3 && Transaction.Current!.Attempt == 0) Transaction.Current!.ThrowRedoAndReleaseLock("injected");
                    if (kind < 8)
                    {
                        // A nested procedure that fails after writing.
                        await t.App.RunAsync(async () => { (await accounts.GetAsync(keys[0]))!.Balance += 1_000_000; return 1; }, "nested-fail");
                    }
                    return 0;
                }, "t20");
                if (rc == ResultCode.TooManyTry) Interlocked.Increment(ref tooManyTry);
                Assert.Equal(0, rc);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(0, tooManyTry);
        long total = 0;
        await t.Run(async () =>
        {
            for (long k = 0; k < Keys; k++)
            {
                var a = (await accounts.GetAsync(k))!;
                Assert.True(a.Balance >= 0);
                total += a.Balance;
            }
            return 0;
        });
        Assert.Equal(Keys * 1000, total);
    }
}
