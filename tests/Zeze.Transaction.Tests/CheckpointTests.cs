using TestTx.Demo;
using Zeze.Serialize;

namespace Zeze.Transaction.Tests;

/// <summary>Scenarios T25–T29: what reaches the database, when, and what a crash leaves.</summary>
public class CheckpointTests
{
    private const string T1Name = "TestTx_Demo_T1";
    private const string ImportantName = "TestTx_Demo_TImportant";

    [Fact]
    public async Task T25_CheckpointWritesTheWrittenRecordsOnly()
    {
        await using var t = await TestApp.StartAsync();
        async Task GetSet(long get, long set, int value) => Assert.Equal(0, await t.Run(async () =>
        {
            _ = await t.Demo.T1.GetAsync(get);
            (await t.Demo.T1.GetOrAddAsync(set)).I1 = value;
            return 0;
        }));
        await GetSet(1, 2, 20);
        await GetSet(3, 4, 40);
        await GetSet(2, 3, 30);
        Assert.Null(await t.Stored(T1Name, 2)); // nothing before the checkpoint
        await t.App.CheckpointNowAsync();
        Assert.Null(await t.Stored(T1Name, 1));
        Assert.Equal(20, (await t.Stored(T1Name, 2))!.I1);
        Assert.Equal(30, (await t.Stored(T1Name, 3))!.I1);
        Assert.Equal(40, (await t.Stored(T1Name, 4))!.I1);
    }

    [Fact]
    public async Task T26_StoredBytesAreTheEncodedValue()
    {
        await using var t = await TestApp.StartAsync();
        byte[]? inside = null;
        Assert.Equal(0, await t.Run(async () =>
        {
            await t.Demo.T1.RemoveAsync(56);
            var v = await t.Demo.T1.GetOrAddAsync(56);
            v.I1 = 1;
            var bb = ByteBuffer.Allocate();
            v.Encode(bb);
            inside = bb.ToArray();
            return 0;
        }));
        await t.App.CheckpointNowAsync();
        var stored = (await t.Stored(T1Name, 56))!;
        Assert.Equal(1, stored.Ver);
        var expected = new Value();
        expected.Decode(ByteBuffer.Wrap(inside!));
        Assert.Equal(0, expected.Ver); // the bump happens at commit
        stored.Decode(ByteBuffer.Wrap(Encode(stored))); // (round-trip sanity)
        Assert.Equal(expected.I1, stored.I1);

        static byte[] Encode(Value v)
        {
            var bb = ByteBuffer.Allocate();
            v.Encode(bb);
            return bb.ToArray();
        }
    }

    [Fact]
    public async Task T27_CheckpointWhenCommitIsDurableWhenTheProcedureReturns()
    {
        await using var t = await TestApp.StartAsync();
        var important = Enumerable.Range(0, 1000).Select(_ => t.App.ExecuteTask(async () =>
        {
            var v = await t.Demo.TImportant.GetOrAddAsync(1);
            v.I1 += 1;
            return 0;
        }, "important"));
        Assert.All(await Task.WhenAll(important), rc => Assert.Equal(0, rc));
        Assert.Equal(1000, (await t.Stored(ImportantName, 1))!.I1); // no CheckpointNow

        for (int i = 0; i < 1000; i++)
        {
            int wrote = 0;
            Assert.Equal(0, await t.Run(async () =>
            {
                var a = await t.Demo.TImportant.GetOrAddAsync(1);
                var b = await t.Demo.T1.GetOrAddAsync(1);
                a.I1 += 1;
                b.I1 += 1;
                wrote = a.I1;
                return 0;
            }));
            if (i % 100 == 0)
            {
                // Both records are in the same relative record set: both are written before the call returns.
                Assert.Equal(wrote, (await t.Stored(ImportantName, 1))!.I1);
                Assert.Equal(i + 1, (await t.Stored(T1Name, 1))!.I1);
            }
        }
        Assert.Equal(2000, (await t.Stored(ImportantName, 1))!.I1);
        Assert.Equal(1000, (await t.Stored(T1Name, 1))!.I1);
    }

    [Fact]
    public async Task T28_ACrashLeavesOnlyWholeTransactions()
    {
        string store = TestApp.NewStore();
        var t = await TestApp.StartAsync(store);
        // A writes x and y; checkpoint; B reads y and writes z; crash before B reaches the database.
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(1)).I1 = 1; (await t.Demo.T1.GetOrAddAsync(2)).I1 = 2; return 0; }));
        await t.App.CheckpointNowAsync();
        Assert.Equal(0, await t.Run(async () => { int y = (await t.Demo.T1.GetAsync(2))!.I1; (await t.Demo.T1.GetOrAddAsync(3)).I1 = y + 1; return 0; }));
        await t.App.StopWithoutFlushAsync();

        await using var restarted = await TestApp.StartAsync(store);
        Assert.Equal(1, (await restarted.Read(1))!.I1);
        Assert.Equal(2, (await restarted.Read(2))!.I1);
        Assert.Null(await restarted.Read(3)); // B was lost whole, never half

        // A batch failing in the middle leaves nothing, and the checkpoint writes it all when it retries.
        Assert.Equal(0, await restarted.Run(async () => { (await restarted.Demo.T1.GetOrAddAsync(10)).I1 = 10; (await restarted.Demo.T1.GetOrAddAsync(11)).I1 = 11; return 0; }));
        long failuresBefore = FailureCount(restarted.App);
        restarted.Db.FailNextBatchAtWrite = 2;
        await restarted.App.CheckpointNowAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(FailureCount(restarted.App) > failuresBefore);
        Assert.Equal(10, (await restarted.Stored(T1Name, 10))!.I1);
        Assert.Equal(11, (await restarted.Stored(T1Name, 11))!.I1);
    }

    private static long FailureCount(Application app) => app.Checkpoint.WriteFailures;

    [Fact]
    public async Task T29_ADurableTableSurvivesACrash()
    {
        string store = TestApp.NewStore();
        var t = await TestApp.StartAsync(store);
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.TImportant.GetOrAddAsync(7)).I1 = 77; return 0; }));
        await t.App.StopWithoutFlushAsync();
        await using var restarted = await TestApp.StartAsync(store);
        Assert.Equal(0, await restarted.Run(async () => { Assert.Equal(77, (await restarted.Demo.TImportant.GetAsync(7))!.I1); return 0; }));
    }

    [Fact]
    public async Task StopWritesEverythingAndRestartSeesIt()
    {
        string store = TestApp.NewStore();
        var t = await TestApp.StartAsync(store);
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(5)).I1 = 55; return 0; }));
        await t.App.StopAsync();
        await using var restarted = await TestApp.StartAsync(store);
        Assert.Equal(55, (await restarted.Read(5))!.I1);
    }

    /// <summary>
    /// A record's version is written once, even when a second flush asks for it while its batch is in flight (a reduce
    /// and a reload both flush before the record leaves): the second waits for that batch instead of writing the same
    /// value again. Written again later, the value would land after another server had taken the record and stored a
    /// newer one (the lost update bench G2 found).
    /// </summary>
    [Fact]
    public async Task AVersionInFlightIsNotWrittenAgainByALaterFlush()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(7)).I1 = 1; return 0; }));
        var record = t.Demo.T1.PeekCached(7)!;
        var firstEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseLater = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int batches = 0;
        t.Db.BeforeCommitForTests = async () =>
        {
            if (Interlocked.Increment(ref batches) == 1)
            {
                firstEntered.SetResult();
                await releaseFirst.Task;
            }
            else
            {
                await releaseLater.Task; // a second batch (if any) waits until the other server has written
            }
        };
        var first = t.App.Checkpoint.FlushRecordAsync(record);
        await firstEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = t.App.Checkpoint.FlushRecordAsync(record);
        Assert.False(second.IsCompleted, "the second flush completed while the record's batch was still in flight");
        releaseFirst.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        // The record has left: another server stores a newer value.
        await using (var db = Zeze.Storage.Memory.MemoryDatabase.Open(new Zeze.Storage.DatabaseOptions { Name = "other", Kind = Zeze.Storage.DatabaseKind.Memory, ConnectionString = t.Store }))
        {
            var table = await db.OpenTableAsync(T1Name);
            var key = ByteBuffer.Allocate();
            key.WriteLong(7);
            var value = ByteBuffer.Allocate();
            new Value { I1 = 2 }.Encode(value);
            await using var batch = db.BeginBatch();
            batch.Put(table, key.ToArray(), value.ToArray());
            await batch.CommitAsync();
        }
        releaseLater.SetResult();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await t.Stored(T1Name, 7))!.I1);
        Assert.Equal(1, Volatile.Read(ref batches));
    }

    /// <summary>
    /// Two flushes of one record must reach the database in the order of their values. A set being flushed detaches
    /// its records; if a detached record could be committed and flushed again (here: by a transaction that writes a
    /// flush-on-commit table too) before the older batch was queued, the writer would put the older value last and
    /// still count the record as written.
    /// </summary>
    [Fact]
    public async Task AFlushNeverOvertakesAnOlderFlushOfTheSameRecord()
    {
        const int keys = 5000;
        await using var t = await TestApp.StartAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        // Transfers between two keys merge every key into one big set, which the checkpoint flushes...
        var merging = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                long a = rnd.Next(keys), b = rnd.Next(keys);
                Assert.Equal(0, await t.Run(async () =>
                {
                    (await t.Demo.T1.GetOrAddAsync(a)).I1 += 1;
                    (await t.Demo.T1.GetOrAddAsync(b)).I1 += 1;
                    return 0;
                }));
            }
        }));
        // ...while these write a key together with a flush-on-commit record: their commit flushes at once.
        var durable = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(100 + w);
            while (!stop.IsCancellationRequested)
            {
                long a = rnd.Next(keys);
                Assert.Equal(0, await t.Run(async () =>
                {
                    (await t.Demo.T1.GetOrAddAsync(a)).I1 += 1;
                    (await t.Demo.TImportant.GetOrAddAsync(w)).I1 += 1;
                    return 0;
                }));
            }
        }));
        var checkpoint = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) await t.App.CheckpointNowAsync();
        });
        // Every value only grows, so a stored value that goes down is an older batch written after a newer one.
        var decreases = new List<string>();
        var watch = Task.Run(async () =>
        {
            await using var db = Zeze.Storage.Memory.MemoryDatabase.Open(new Zeze.Storage.DatabaseOptions { Name = "probe", Kind = Zeze.Storage.DatabaseKind.Memory, ConnectionString = t.Store });
            var table = await db.OpenTableAsync(T1Name);
            var seen = new int[keys];
            var keyBytes = Enumerable.Range(0, keys).Select(k => { var bb = ByteBuffer.Allocate(); bb.WriteLong(k); return bb.ToArray(); }).ToArray();
            while (!stop.IsCancellationRequested)
            {
                for (int k = 0; k < keys; k++)
                {
                    var bytes = await table.FindAsync(keyBytes[k]);
                    if (bytes == null) continue;
                    var v = new Value();
                    v.Decode(ByteBuffer.Wrap(bytes));
                    if (v.I1 < seen[k]) decreases.Add($"{k}: {seen[k]} then {v.I1}");
                    seen[k] = Math.Max(seen[k], v.I1);
                }
                await Task.Yield();
            }
        });
        await Task.WhenAll(merging.Concat(durable).Append(checkpoint).Append(watch));
        Assert.True(decreases.Count == 0, $"{decreases.Count} stored values went down: " + string.Join("; ", decreases.Take(10)));
        await t.App.CheckpointNowAsync();
        var stale = new List<string>();
        for (long k = 0; k < keys; k++)
        {
            var cached = await t.Read(k);
            var stored = await t.Stored(T1Name, k);
            if (cached?.I1 != stored?.I1) stale.Add($"{k}: cached {cached?.I1} stored {stored?.I1}");
        }
        Assert.True(stale.Count == 0, $"{stale.Count} older values in the database: " + string.Join("; ", stale.Take(10)));
    }
}
