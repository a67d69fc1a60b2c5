using System.Collections.Concurrent;
using System.Diagnostics;
using Zeze.Services.GlobalCache;
using static Zeze.Services.GlobalCache.GlobalState;

namespace Zeze.GlobalCache.Tests;

/// <summary>The per-key FIFO and the deadlock rule (A5, A7; T-4, T-9).</summary>
public class GcmQueueTests
{
    [Fact]
    public async Task T4_UpgradeDeadlockAnswersExactlyOneWith23AndBothFinishQuickly()
    {
        await using var gcm = await Gcm.StartAsync();
        for (int round = 0; round < 20; round++)
        {
            await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
            await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
            var k = Keys.Of(round);
            Assert.Equal((Share, 0L), await a.AcquireAsync(k, Share));
            Assert.Equal((Share, 0L), await b.AcquireAsync(k, Share));
            // Like real servers, both write transactions hold the key's local lock while asking for Modify, and a
            // reduce waits for that lock; each transaction lets it go once its acquire is answered.
            var lockA = a.HoldLock(k);
            var lockB = b.HoldLock(k);
            var sw = Stopwatch.StartNew();
            var ta = a.StartAcquire(k, Modify).ContinueWith(t => { lockA.Dispose(); return t.Result; }, TaskScheduler.Default);
            var tb = b.StartAcquire(k, Modify).ContinueWith(t => { lockB.Dispose(); return t.Result; }, TaskScheduler.Default);
            var results = await Wait.BoundedAsync(Task.WhenAll(ta, tb), "both upgrades answered");
            Assert.True(sw.ElapsedMilliseconds < 1000, $"round {round}: {sw.ElapsedMilliseconds} ms");
            Assert.True(results.Count(r => r == (Invalid, (long)GlobalResultCode.AcquireModifyDeadLockFound)) == 1, $"round {round}: {string.Join(", ", results)}");
            Assert.Single(results, r => r == (Modify, 0L));
            Assert.Equal(0, (await a.StatusAsync()).Counter("reduce.timeout"));
            // The loser redoes: its next acquire reduces the winner and succeeds.
            var loser = results[0].State == Invalid ? a : b;
            Assert.Equal((Modify, 0L), await loser.AcquireAsync(k, Modify));
            await loser.AcquireAsync(k, Invalid);
            await Wait.UntilAsync(() => gcm.KeyCount == 0 || gcm.StateOf(loser.ServerId, k) == Invalid, "released");
            a.Close();
            b.Close();
            await a.NormalCloseAsync(); // socket already closed: ignored; the next round logs in again (releases)
        }
    }

    [Fact]
    public async Task T9_RequestsQueuedBehindASlowReduceAreServedInArrivalOrder()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var holder = await FakeServer.ConnectAsync(gcm.Port, 100);
        var releaseHolder = new TaskCompletionSource();
        holder.OnReduce = async _ =>
        {
            await releaseHolder.Task;
            return (Invalid, 0);
        };
        var k = Keys.Of(77);
        Assert.Equal((Modify, 0L), await holder.AcquireAsync(k, Modify));
        var order = new ConcurrentQueue<int>();
        gcm.AnswerObserver = (server, _, _, _) =>
        {
            if (server <= 10) order.Enqueue(server - 1);
        };
        var clients = new List<FakeServer>();
        var pending = new List<Task>();
        for (int i = 0; i < 10; i++)
        {
            var c = await FakeServer.ConnectAsync(gcm.Port, i + 1);
            clients.Add(c);
            int id = i;
            int state = i % 3 == 2 ? Modify : Share;
            pending.Add(Task.Run(async () =>
            {
                var r = await c.AcquireAsync(k, state);
                Assert.Equal(0, r.Code);
            }));
            // The first becomes the request in progress (its reduce stalls); each next one must be queued before the next is sent.
            await Wait.UntilAsync(() => gcm.QueuedRequests(k) == i, $"request {i} queued");
        }
        Assert.Empty(order);
        releaseHolder.SetResult();
        await Wait.BoundedAsync(Task.WhenAll(pending), "all served");
        Assert.Equal(Enumerable.Range(0, 10), order);
        var status = gcm.GetStatus();
        Assert.True(status.Counter("queue.waits") >= 9);
        Assert.Equal(k, status.HotKeys[0].GlobalKey.ToArray());
        foreach (var c in clients) await c.DisposeAsync();
    }

    [Fact]
    public async Task DeadlockIsReCheckedForQueuedRequestsWhenTheRequestInProgressStartsReducing()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var h = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 2);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 3);
        a.HoldsLocksWhileAcquiring = true;
        var slow = new TaskCompletionSource();
        h.OnReduce = async _ =>
        {
            await slow.Task;
            return (Invalid, 0);
        };
        var k = Keys.Of(5);
        await h.AcquireAsync(k, Modify);
        // In progress: A's Share (reduces H, stalls). Queued: B's Modify, then A's Modify. Neither deadlocks yet.
        var aShare = a.StartAcquire(k, Share);
        await Wait.UntilAsync(() => !h.Reduces.IsEmpty, "H reduced");
        var bModify = b.StartAcquire(k, Modify);
        await Wait.UntilAsync(() => gcm.QueuedRequests(k) == 1, "B queued");
        var aModify = a.StartAcquire(k, Modify);
        await Wait.UntilAsync(() => gcm.QueuedRequests(k) == 2, "A queued");
        var sw = Stopwatch.StartNew();
        slow.SetResult();
        // A gets Share; B's Modify then must reduce A, whose queued Modify holds A's lock: A must be told 23 at once.
        Assert.Equal((Share, 0L), await aShare);
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireModifyDeadLockFound), await Wait.BoundedAsync(aModify, "A's modify"));
        Assert.Equal((Modify, 0L), await Wait.BoundedAsync(bModify, "B's modify"));
        Assert.True(sw.ElapsedMilliseconds < 450, $"took {sw.ElapsedMilliseconds} ms (a reduce timeout would be 500)");
    }

    [Fact]
    public async Task ShareRequestOfTheModifyHolderBeingReducedForShareIsADeadlock()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var h = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 2);
        h.HoldsLocksWhileAcquiring = true;
        var k = Keys.Of(6);
        await h.AcquireAsync(k, Modify);
        var gate = new TaskCompletionSource();
        h.OnReduce = async _ =>
        {
            await gate.Task;
            return (Invalid, 0);
        };
        var aShare = a.StartAcquire(k, Share);
        await Wait.UntilAsync(() => !h.Reduces.IsEmpty, "H reduced");
        // H asks again while its reduce is pending (pending == Share, modify == H): 22 would be wrong, 21 is the answer.
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireShareDeadLockFound), await h.AcquireAsync(k, Share));
        gate.SetResult();
        Assert.Equal((Share, 0L), await aShare);
    }
}
