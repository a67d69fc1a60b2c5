using System.Diagnostics;
using Zeze.Services.GlobalCache;
using static Zeze.Services.GlobalCache.GlobalState;

namespace Zeze.GlobalCache.Tests;

/// <summary>The tables of A5 with fake servers on real sockets.</summary>
public class GcmGrantTests
{
    [Fact]
    public async Task ShareIsGrantedToManyAndModifyReducesThemAll()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        await using var c = await FakeServer.ConnectAsync(gcm.Port, 3);
        var k = Keys.Of(1);
        Assert.Equal((Share, 0L), await a.AcquireAsync(k, Share));
        Assert.Equal((Share, 0L), await b.AcquireAsync(k, Share));
        Assert.Empty(a.Reduces);
        Assert.Equal((Modify, 0L), await c.AcquireAsync(k, Modify));
        Assert.Single(a.Reduces);
        Assert.Single(b.Reduces);
        Assert.Equal(Invalid, gcm.StateOf(1, k));
        Assert.Equal(Modify, gcm.StateOf(3, k));
    }

    [Fact]
    public async Task ShareAgainstModifyReducesTheHolderToInvalid()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        var k = Keys.Of(2);
        Assert.Equal((Modify, 0L), await a.AcquireAsync(k, Modify));
        Assert.Equal((Share, 0L), await b.AcquireAsync(k, Share));
        var (key, fresh, _) = Assert.Single(a.Reduces);
        Assert.Equal(k, key);
        Assert.False(fresh);
        Assert.Equal(Invalid, gcm.StateOf(1, k));
        Assert.Equal(Share, gcm.StateOf(2, k));
    }

    [Fact]
    public async Task HolderAnsweringShareKeepsShare()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        a.OnReduce = _ => Task.FromResult<(int, long)?>((Share, GlobalResultCode.Success));
        var k = Keys.Of(3);
        await a.AcquireAsync(k, Modify);
        Assert.Equal((Share, 0L), await b.AcquireAsync(k, Share));
        Assert.Equal(Share, gcm.StateOf(1, k));
        Assert.Equal(Share, gcm.StateOf(2, k));
    }

    [Fact]
    public async Task AlreadyIsModifyCodes()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        var k = Keys.Of(4);
        Assert.Equal((Modify, 0L), await a.AcquireAsync(k, Modify));
        Assert.Equal((Modify, (long)GlobalResultCode.AcquireShareAlreadyIsModify), await a.AcquireAsync(k, Share));
        Assert.Equal((Modify, (long)GlobalResultCode.AcquireModifyAlreadyIsModify), await a.AcquireAsync(k, Modify));
    }

    [Fact]
    public async Task SoleSharerUpgradesWithoutReduce()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        var k = Keys.Of(5);
        Assert.Equal((Share, 0L), await a.AcquireAsync(k, Share));
        Assert.Equal((Modify, 0L), await a.AcquireAsync(k, Modify));
        Assert.Empty(a.Reduces);
    }

    [Fact]
    public async Task SharersAreReducedInParallel()
    {
        await using var gcm = await Gcm.StartAsync();
        var sharers = new List<FakeServer>();
        for (int i = 1; i <= 3; i++)
        {
            var s = await FakeServer.ConnectAsync(gcm.Port, i);
            s.OnReduce = async _ =>
            {
                await Task.Delay(200);
                return (Invalid, GlobalResultCode.Success);
            };
            sharers.Add(s);
        }
        await using var w = await FakeServer.ConnectAsync(gcm.Port, 9);
        var k = Keys.Of(6);
        foreach (var s in sharers) Assert.Equal((Share, 0L), await s.AcquireAsync(k, Share));
        var sw = Stopwatch.StartNew();
        Assert.Equal((Modify, 0L), await w.AcquireAsync(k, Modify));
        // One after another would take 3 x 200 ms, more than the reduce timeout (500 ms); in parallel about 200 ms.
        Assert.InRange(sw.ElapsedMilliseconds, 150, 500);
        var first = sharers.Select(s => Assert.Single(s.Reduces).At).Min();
        var last = sharers.Select(s => s.Reduces.Single().At).Max();
        Assert.True((last - first).TotalMilliseconds < 150, $"reduces spread over {(last - first).TotalMilliseconds} ms");
        foreach (var s in sharers) await s.DisposeAsync();
    }

    [Fact]
    public async Task ModifyFailsWhenOneSharerCannotBeReducedAndKeepsRequesterShare()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        await using var c = await FakeServer.ConnectAsync(gcm.Port, 3);
        b.OnReduce = _ => Task.FromResult<(int, long)?>((Share, GlobalResultCode.ReduceException));
        var k = Keys.Of(7);
        await a.AcquireAsync(k, Share);
        await b.AcquireAsync(k, Share);
        await c.AcquireAsync(k, Share);
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireModifyFailed), await a.AcquireAsync(k, Modify));
        Assert.Equal(Share, gcm.StateOf(1, k)); // the requester keeps its Share
        Assert.Equal(Share, gcm.StateOf(2, k)); // the failing sharer keeps its Share
        Assert.Equal(Invalid, gcm.StateOf(3, k)); // the one that answered gave it up
    }

    [Fact]
    public async Task FreshHolderRefusesUnlessTheRequesterIsFreshToo()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        // A models a fresh record: it refuses with 16 unless the requester's copy is fresh too (A7).
        a.OnReduce = r => Task.FromResult<(int, long)?>(r.Fresh ? (Invalid, 0) : (Modify, GlobalResultCode.ReduceErrorFreshAcquire));
        var k = Keys.Of(8);
        await a.AcquireAsync(k, Modify);
        Assert.Equal((Invalid, (long)GlobalResultCode.ReduceErrorFreshAcquire), await b.AcquireAsync(k, Modify));
        Assert.Equal(Modify, gcm.StateOf(1, k));
        Assert.Equal((Invalid, (long)GlobalResultCode.ReduceErrorFreshAcquire), await b.AcquireAsync(k, Share));
        Assert.Equal((Modify, 0L), await b.AcquireAsync(k, Modify, fresh: true));
        Assert.True(a.Reduces.Last().Fresh);
        Assert.Equal(Invalid, gcm.StateOf(1, k));
    }

    [Fact]
    public async Task ReleaseForgetsTheKeyAndTheMapEmpties()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        for (int i = 0; i < 50; i++)
        {
            await a.AcquireAsync(Keys.Of(i), i % 2 == 0 ? Share : Modify);
            await b.AcquireAsync(Keys.Of(i), Share);
        }
        Assert.Equal(50, gcm.KeyCount);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal((Invalid, 0L), await a.AcquireAsync(Keys.Of(i), Invalid));
            Assert.Equal((Invalid, 0L), await b.AcquireAsync(Keys.Of(i), Invalid));
        }
        Assert.Equal(0, gcm.KeyCount);
        Assert.All((await a.StatusAsync()).Sessions, s => Assert.Equal(0, s.KeysHeld));
    }

    [Fact]
    public async Task ReleaseDoesNotWaitBehindAReduceAndIsAppliedInTurn()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        await using var c = await FakeServer.ConnectAsync(gcm.Port, 3);
        var slow = new TaskCompletionSource();
        a.OnReduce = async _ =>
        {
            await slow.Task;
            return (Invalid, GlobalResultCode.ReduceInvalidAlreadyIsInvalid);
        };
        var k = Keys.Of(9);
        await a.AcquireAsync(k, Modify);
        await c.AcquireAsync(Keys.Of(10), Share);
        var bShare = b.StartAcquire(k, Share); // reduces A, which stalls
        await Wait.UntilAsync(() => !a.Reduces.IsEmpty, "reduce sent to A");
        // A evicts the record meanwhile: its release is answered at once with the state A still has.
        var sw = Stopwatch.StartNew();
        Assert.Equal((Modify, 0L), await a.AcquireAsync(k, Invalid));
        Assert.True(sw.ElapsedMilliseconds < 300, $"release waited {sw.ElapsedMilliseconds} ms");
        slow.SetResult();
        Assert.Equal((Share, 0L), await bShare);
        await Wait.UntilAsync(() => gcm.QueuedRequests(k) == 0, "release applied");
        Assert.Equal(Invalid, gcm.StateOf(1, k));
        Assert.Equal(Share, gcm.StateOf(2, k));
    }

    [Fact]
    public async Task BadStateAndNotLoggedIn()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var stranger = await FakeServer.ConnectAsync(gcm.Port, 2, login: false);
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireErrorState), await a.AcquireAsync(Keys.Of(1), 7));
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireNotLogin), await stranger.AcquireAsync(Keys.Of(1), Share));
        Assert.Equal(GlobalResultCode.AcquireNotLogin, await stranger.KeepAliveAsync());
    }
}
