using TestTx;
using TestTx.Demo;
using Zeze.Serialize;

namespace Zeze.Transaction.Tests;

/// <summary>Scenarios T23 and T24: change listeners receive exactly what changed, once per committed transaction.</summary>
public class ListenerTests
{
    private sealed class Recorder
    {
        public readonly List<ChangeRecord> Changes = [];
        public void Listen(ChangeRecord c) { lock (Changes) Changes.Add(c); }
    }

    /// <summary>Runs <paramref name="change"/> on record 1 and checks old copy + notification == committed value.</summary>
    private static async Task AssertReconstructs(TestApp t, Recorder rec, Func<Value, ValueTask> change)
    {
        var old = await t.Read(1);
        rec.Changes.Clear();
        Assert.Equal(0, await t.Run(async () => { await change((await t.Demo.T1.GetAsync(1))!); return 0; }));
        var committed = await t.Read(1);
        var c = Assert.Single(rec.Changes);
        Value? rebuilt = c.Kind switch
        {
            ChangeKind.Put => ((Value)c.Value!).Copy(),
            ChangeKind.Remove => null,
            _ => Apply(old!, c.Changes!),
        };
        if (!Equals(committed, rebuilt))
            Assert.Fail($"rebuilt differs.\ncommitted: {committed}\nrebuilt: {rebuilt}\nchanges: {c.Changes}");

        static Value Apply(Value old, BeanChanges changes)
        {
            var copy = old.Copy();
            copy.FollowerApply(changes);
            return copy;
        }
    }

    [Fact]
    public async Task T23_OldValuePlusChangesEqualsTheCommittedValue()
    {
        await using var t = await TestApp.StartAsync();
        var rec = new Recorder();
        t.Demo.T1.Listeners.Add(rec.Listen);
        Assert.Equal(0, await t.Run(async () =>
        {
            var v = await t.Demo.T1.GetOrAddAsync(1);
            v.List9.Add(new Bean1 { I = 1 });
            v.List9.Add(new Bean1 { I = 2 });
            v.Map11.Put(1, new Value2 { S = "a" });
            v.Map11.Put(2, new Value2 { S = "b" });
            v.Set10.UnionWith([1, 2, 3, 4]);
            v.List17.AddRange([1, 2, 3]);
            return 0;
        }));
        Assert.Equal(ChangeKind.Put, Assert.Single(rec.Changes).Kind);

        // Every primitive field.
        await AssertReconstructs(t, rec, v =>
        {
            v.I1 = 1; v.L2 = -2; v.S3 = "three"; v.B4 = true; v.S5 = 5; v.F6 = 6.5f; v.D7 = 7.5; v.B8 = Binary.Wrap([8]); v.B13 = 13;
            return ValueTask.CompletedTask;
        });
        // Collections: adds, removes, replaces, clears, in a mix.
        await AssertReconstructs(t, rec, v =>
        {
            v.List9.RemoveAt(0); v.List9.Add(new Bean1 { I = 3 }); v.List9.Insert(0, new Bean1 { I = 4 });
            v.List17.Remove(2); v.List17[0] = 10; v.List17.Add(11);
            v.Map11.Remove(1); v.Map11.Put(3, new Value2 { S = "c" }); v.Map11[2] = new Value2 { S = "bb" };
            v.Map15[1] = 1; v.Map15[2] = 2; v.Map15.Remove(2);
            return ValueTask.CompletedTask;
        });
        // Set algebra.
        await AssertReconstructs(t, rec, v => { v.Set10.ExceptWith([1, 99]); return ValueTask.CompletedTask; });
        await AssertReconstructs(t, rec, v => { v.Set10.IntersectWith([2, 3, 50]); return ValueTask.CompletedTask; });
        await AssertReconstructs(t, rec, v => { v.Set10.SymmetricExceptWith([3, 7, 8]); return ValueTask.CompletedTask; });
        await AssertReconstructs(t, rec, v => { v.Set10.UnionWith([100, 101]); return ValueTask.CompletedTask; });
        // Changes inside beans: a bean field, list elements, map values, a dynamic bean.
        await AssertReconstructs(t, rec, v =>
        {
            v.Bean12.I1 = 12;
            v.Bean12.Tags.Add("x");
            v.List9[1].I = 90;
            v.Map11[2].S = "changed in place";
            v.Dyn14.Bean = new Simple { X = 1 };
            return ValueTask.CompletedTask;
        });
        await AssertReconstructs(t, rec, v => { ((Simple)v.Dyn14.Bean).X = 2; v.Bean12 = new Bean12 { I1 = 120 }; v.Bean12.Tags.Add("y"); return ValueTask.CompletedTask; });
        await AssertReconstructs(t, rec, v => { v.List9.Clear(); v.List9.Add(new Bean1 { I = 5 }); v.Map11.Clear(); return ValueTask.CompletedTask; });
        // Whole record put, then removed.
        rec.Changes.Clear();
        Assert.Equal(0, await t.Run(async () => { await t.Demo.T1.PutAsync(1, new Value { I1 = 1000 }); return 0; }));
        var put = Assert.Single(rec.Changes);
        Assert.Equal(ChangeKind.Put, put.Kind);
        Assert.Equal(1000, ((Value)put.Value!).I1);
        var before = await t.Read(1);
        rec.Changes.Clear();
        Assert.Equal(0, await t.Run(async () => { await t.Demo.T1.RemoveAsync(1); return 0; }));
        var removed = Assert.Single(rec.Changes);
        Assert.Equal(ChangeKind.Remove, removed.Kind);
        Assert.Equal(before, removed.Value); // the value before removal
    }

    [Fact]
    public async Task T23_NotifiedOncePerCommitNeverForRollbackOrRedo()
    {
        await using var t = await TestApp.StartAsync();
        var rec = new Recorder();
        t.Demo.T1.Listeners.Add(rec.Listen);
        int attempts = 0;
        Assert.Equal(0, await t.Run(async () =>
        {
            attempts++;
            (await t.Demo.T1.GetOrAddAsync(2)).I1 += 1;
            if (attempts == 1) Transaction.Current!.ThrowRedo();
            return 0;
        }));
        Assert.Single(rec.Changes);
        Assert.Equal(5, await t.Run(async () => { (await t.Demo.T1.GetOrAddAsync(2)).I1 += 1; return 5; }));
        Assert.Single(rec.Changes);
    }

    [Fact]
    public async Task T24_InsideAListenerTheTransactionIsCompleted()
    {
        await using var t = await TestApp.StartAsync();
        TransactionState? state = null;
        Exception? writeError = null;
        var order = new List<string>();
        t.Demo.T1.Listeners.Add(c =>
        {
            var txn = Transaction.Current!;
            state = txn.State;
            try
            {
                ((Value)c.Value!).I1 = 99;
            }
            catch (Exception e)
            {
                writeError = e;
            }
            order.Add("listener");
            txn.WhileCommit(() => order.Add("registered by listener"));
        });
        Assert.Equal(0, await t.Run(async () =>
        {
            (await t.Demo.T1.GetOrAddAsync(3)).I1 = 1;
            Transaction.Current!.WhileCommit(() => order.Add("commit action"));
            return 0;
        }));
        Assert.Equal(TransactionState.Completed, state);
        Assert.NotNull(writeError);
        Assert.Equal(["listener", "commit action", "registered by listener"], order);
        Assert.Equal(1, (await t.Read(3))!.I1);
    }
}
