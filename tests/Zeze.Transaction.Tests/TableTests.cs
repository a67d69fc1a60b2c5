using TestTx;
using TestTx.Demo;
using Zeze.Serialize;

namespace Zeze.Transaction.Tests;

/// <summary>Scenarios T21, T22, T30–T33, T35, T37, T38 and bad use: table operations, versions, auto keys, eviction, walks.</summary>
public class TableTests
{
    private static void SetAll(Value v)
    {
        v.I1 = 1; v.L2 = 2; v.S3 = "3"; v.B4 = true; v.S5 = 5; v.F6 = 6.5f; v.D7 = 7.25; v.B8 = Binary.Wrap([8]);
        v.List9.Add(new Bean1 { I = 9 }); v.Set10.Add(10); v.Map11.Put(11, new Value2 { S = "eleven" });
        v.Bean12.I1 = 12; v.B13 = 13; v.Dyn14.Bean = new Simple { X = 14 }; v.Map15[15] = 15; v.List17.Add(17);
    }

    private static void AssertAll(Value v)
    {
        Assert.Equal(1, v.I1); Assert.Equal(2, v.L2); Assert.Equal("3", v.S3); Assert.True(v.B4); Assert.Equal(5, v.S5);
        Assert.Equal(6.5f, v.F6); Assert.Equal(7.25, v.D7); Assert.Equal(Binary.Wrap([8]), v.B8);
        Assert.Equal(9, Assert.Single(v.List9).I); Assert.Contains(10, v.Set10); Assert.Equal("eleven", v.Map11[11].S);
        Assert.Equal(12, v.Bean12.I1); Assert.Equal(13, v.B13); Assert.Equal(14, ((Simple)v.Dyn14.Bean).X);
        Assert.Equal(15, v.Map15[15]); Assert.Equal(17, Assert.Single(v.List17));
    }

    [Fact]
    public async Task T21_ReadYourWritesForEveryFieldKind()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(21);
            SetAll(v);
            AssertAll((await t.Demo.T1.GetAsync(21))!);
            return 0;
        }));
        Assert.Equal(0, await t.Run(async () => { AssertAll((await t.Demo.T1.GetAsync(21))!); return 0; }));
        Assert.Equal(0, await t.Run(async () =>
        {
            await t.Demo.T1.RemoveAsync(21);
            Assert.Null(await t.Demo.T1.GetAsync(21));
            return 0;
        }));
        Assert.Null(await t.Read(21));
    }

    [Fact]
    public async Task T22_PutGetIdentityAndManagedState()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () =>
        {
            Assert.Null(await t.Demo.T1.GetAsync(22));
            var v = new Value { I1 = 22 };
            await t.Demo.T1.PutAsync(22, v);
            Assert.True(v.IsManaged);
            Assert.Same(v, await t.Demo.T1.GetAsync(22));
            await Assert.ThrowsAsync<HasManagedException>(async () => await t.Demo.T1.PutAsync(23, v));
            await t.Demo.T1.PutAsync(23, v.Copy());
            var key = new Key(1, "one");
            await t.Demo.T2.PutAsync(key, new Value { I1 = 1 });
            Assert.Equal(1, (await t.Demo.T2.GetAsync(new Key(1, "one")))!.I1);
            return 0;
        }));
        Assert.Equal(22, (await t.Read(23))!.I1);
    }

    [Fact]
    public async Task BeanInTwoPlacesIsRefused()
    {
        await using var t = await TestApp.StartAsync();
        long rc = await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(1);
            var b = new Bean1();
            v.List9.Add(b);
            v.List9.Add(b); // the same bean in a second place
            return 0;
        });
        Assert.Equal(ResultCode.Exception, rc);
    }

    [Fact]
    public async Task TableOutsideAProcedureIsAClearError()
    {
        await using var t = await TestApp.StartAsync();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await t.Demo.T1.GetAsync(1));
        Assert.Contains("inside a procedure", e.Message);
    }

    [Fact]
    public async Task T30_VersionIsBumpedPerCommittingTransaction()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(30)).I1 = 1; return 0; }));
        Assert.Equal(1, (await t.Read(30))!.Ver);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(0, await t.Run(async () =>
            {
                var v = (await t.Demo.T1.GetAsync(30))!;
                long before = v.Ver;
                v.I1 += 1;
                Assert.Equal(before, v.Ver); // the bump happens at commit
                return 0;
            }));
        }
        Assert.Equal(3, (await t.Read(30))!.Ver);
        Assert.Equal(3, (await t.Read(30))!.Ver); // read-only transactions do not bump
        Assert.Equal(0, await t.Run(async () => { await t.Demo.T1.RemoveAsync(30); return 0; }));
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(30)).I1 = 5; return 0; }));
        Assert.Equal(1, (await t.Read(30))!.Ver);
    }

    [Fact]
    public async Task T31_AutoKeysAreUniqueAndPositive()
    {
        await using var t = await TestApp.StartAsync(configure: o => o.ServerId = 3);
        var ids = new System.Collections.Concurrent.ConcurrentBag<long>();
        var tasks = Enumerable.Range(0, 10000).Select(i => t.App.ExecuteAsync(async () =>
        {
            long id = await t.Demo.TAuto.InsertAsync(new Simple { X = i });
            if (i % 7 == 0 && Transaction.Current!.Attempt == 0) Transaction.Current!.ThrowRedo(); // injected redo
            Transaction.Current!.WhileCommit(() => ids.Add(id));
            return 0;
        }, "auto"));
        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.All(results, rc => Assert.Equal(0, rc));
        Assert.Equal(10000, ids.Count);
        Assert.Equal(10000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > 0));
        // The server id is the prefix: 3 then the seed, as one big-endian number.
        Assert.All(ids, id => Assert.Equal(3, (int)(id >> (8 * (ByteLength(id) - 1)))));
        Assert.Equal(10000, t.Demo.TAuto.WalkCache((_, _) => true));

        static int ByteLength(long v)
        {
            int n = 1;
            while ((v >>= 8) != 0) n++;
            return n;
        }
    }

    [Fact]
    public async Task T32_EvictionKeepsDirtyRecordsAndReloadsEqualContent()
    {
        await using var t = await TestApp.StartAsync(configure: o =>
        {
            o.DefaultTable = new TableOptions { CacheCapacity = 100, CacheCleanPeriod = TimeSpan.FromMilliseconds(100) };
        });
        for (int batch = 0; batch < 10; batch++)
        {
            Assert.Equal(0, await t.Run(async () =>
            {
                for (int i = 0; i < 100; i++) (await t.Demo.T1.GetOrAddAsync(batch * 100 + i)).I1 = batch * 100 + i;
                return 0;
            }));
        }
        // Dirty records are never evicted.
        t.App.CleanCaches();
        Assert.True(t.Demo.T1.CacheCount >= 1000);
        await t.App.CheckpointNowAsync();
        await WaitUntil(() => t.Demo.T1.CacheCount <= 200);
        Assert.Equal(0, await t.Run(async () =>
        {
            for (int i = 0; i < 1000; i++) Assert.Equal(i, (await t.Demo.T1.GetAsync(i))!.I1);
            return 0;
        }));
    }

    [Fact]
    public async Task T32_ATransactionHoldingAnEvictedRecordIsRedone()
    {
        await using var t = await TestApp.StartAsync(configure: o => o.DefaultTable = new TableOptions { CacheCapacity = 1 });
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(1)).I1 = 1; (await t.Demo.T1.GetOrAddAsync(2)).I1 = 2; return 0; }));
        await t.App.CheckpointNowAsync();
        int attempts = 0;
        Assert.Equal(0, await t.Run(async () =>
        {
            attempts++;
            var v = (await t.Demo.T1.GetAsync(1))!;
            if (attempts == 1)
            {
                t.App.CleanCaches(); // evict everything idle, including record 1 read above
                t.App.CleanCaches();
            }
            v.I1 += 10;
            return 0;
        }));
        Assert.Equal(11, (await t.Read(1))!.I1);
    }

    [Fact]
    public async Task T33_WritingABeanOfAnotherTransactionIsAnError()
    {
        await using var t = await TestApp.StartAsync();
        Value? kept = null;
        Assert.Equal(0, await t.Run(async () => { kept = await t.Demo.T1.GetOrAddAsync(33); return 0; }));
        string? message = null;
        long rc = await t.Run(async () =>
        {
            await t.Demo.T1.GetOrAddAsync(34);
            try
            {
                kept!.I1 = 5; // record 33 is not accessed by this transaction
            }
            catch (InvalidOperationException e)
            {
                message = e.Message;
                throw;
            }
            return 0;
        });
        Assert.Equal(ResultCode.Exception, rc);
        Assert.Contains("not controlled by the current transaction", message);
    }

    [Fact]
    public async Task T35_WalkSeesCommittedValuesOutsideProcedures()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () =>
        {
            for (int i = 0; i < 10; i++) (await t.Demo.T1.GetOrAddAsync(i)).I1 = i;
            return 0;
        }));
        Assert.Equal(0, await t.Run(async () => { await t.Demo.T1.RemoveAsync(3); (await t.Demo.T1.GetAsync(4))!.I1 = 44; return 0; }));
        var seen = new Dictionary<long, int>();
        long n = await t.Demo.T1.WalkAsync((k, v) => { seen[k] = v.I1; return true; });
        Assert.Equal(9, n);
        Assert.False(seen.ContainsKey(3));
        Assert.Equal(44, seen[4]);
        long rc = await t.Run(async () => { await t.Demo.T1.WalkAsync((_, _) => true); return 0; });
        Assert.Equal(ResultCode.Exception, rc);
    }

    [Fact]
    public async Task T38_SelectCopyInATransaction()
    {
        await using var t = await TestApp.StartAsync();
        Assert.Equal(0, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(38)).I1 = 1; (await t.Demo.T1.GetOrAddAsync(39)).I1 = 9; return 0; }));
        Assert.Equal(0, await t.Run(async () =>
        {
            (await t.Demo.T1.GetAsync(38))!.I1 = 7;
            var copy = (await t.Demo.T1.SelectCopyAsync(38))!;
            Assert.Equal(7, copy.I1);
            copy.I1 = 100;
            Assert.Equal(7, (await t.Demo.T1.GetAsync(38))!.I1);
            Assert.Equal(9, (await t.Demo.T1.SelectCopyAsync(39))!.I1); // not accessed: read outside validation
            return 0;
        }));
        Assert.Equal(7, (await t.Read(38))!.I1);
    }

    [Fact]
    public void T37_RecordOrderIsTableIdThenKey()
    {
        var app = new Application(new ZezeOptions());
        var demo = new ModuleDemo(app);
        var t1 = demo.T1;
        var t2 = demo.T2;
        Record R<K>(Table table, K key) where K : notnull => new Record<K>(table, key, Comparer<K>.Default);
        Assert.Equal(0, Record.Compare(R(t1, 1L), R(t1, 1L)));
        Assert.True(Record.Compare(R(t1, 1L), R(t1, 2L)) < 0);
        bool t1First = t1.Id < t2.Id;
        Assert.Equal(t1First, Record.Compare(R(t1, 5L), R(t2, new Key(0, ""))) < 0);
        Assert.True(Record.Compare(R(t2, new Key(1, "a")), R(t2, new Key(1, "b"))) < 0);
        Assert.True(Record.Compare(R(t2, new Key(1, "z")), R(t2, new Key(2, "a"))) < 0);
        var boolTable = new BoolTable();
        Assert.True(Record.Compare(R(boolTable, false), R(boolTable, true)) < 0);
    }

    private sealed class BoolTable() : Table<bool, Simple>(99, "bools")
    {
        public override void EncodeKey(ByteBuffer bb, bool key) => bb.WriteBool(key);
        public override bool DecodeKey(ByteBuffer bb) => bb.ReadBool();
    }

    internal static async Task WaitUntil(Func<bool> condition, int timeoutMs = 20000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached in time");
            await Task.Delay(20);
        }
    }
}
