using System.Diagnostics;
using Zeze.Services.GlobalCache;
using static Zeze.Services.GlobalCache.GlobalState;

namespace Zeze.GlobalCache.Tests;

/// <summary>Reduce failures inside the GCM (A8; T-10).</summary>
public class GcmFailureTests
{
    [Fact]
    public async Task T10_ReduceStallFailsTheAcquireWithinAcquireTimeoutThenForbidsThenRecovers()
    {
        await using var gcm = await Gcm.StartAsync();
        var t = gcm.Timing;
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        var k = Keys.Of(1);
        var k2 = Keys.Of(2);
        await b.AcquireAsync(k, Modify);
        await b.AcquireAsync(k2, Modify);
        var stall = new TaskCompletionSource();
        b.OnReduce = async _ =>
        {
            await stall.Task;
            return (Invalid, 0);
        };

        var sw = Stopwatch.StartNew();
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireModifyFailed), await a.AcquireAsync(k, Modify));
        long failedAfter = sw.ElapsedMilliseconds;
        Assert.InRange(failedAfter, t.ReduceTimeout - 20, t.AcquireTimeout - 1);
        Assert.Equal(Modify, gcm.StateOf(2, k)); // the silent holder keeps its ownership (it may have dirty data)

        // Forbid period: the next acquires needing B fail at once, without a reduce being sent.
        int reducesSoFar = b.Reduces.Count;
        sw.Restart();
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireShareFailed), await a.AcquireAsync(k2, Share));
        Assert.True(sw.ElapsedMilliseconds < 200, $"forbidden reduce took {sw.ElapsedMilliseconds} ms");
        Assert.Equal(reducesSoFar, b.Reduces.Count);
        Assert.True(gcm.GetStatus().Counter("reduce.forbidden") >= 1);

        // B recovers; once the forbid period is over, everything works again.
        stall.SetResult();
        b.OnReduce = _ => Task.FromResult<(int, long)?>((Invalid, 0));
        // (A loaded machine may stall a reduce past ReduceTimeout again, which starts another forbid period: retry.)
        (int, long) modify = default, share = default;
        await Wait.UntilAsync(async () =>
        {
            modify = await a.AcquireAsync(k, Modify);
            return modify == (Modify, 0L);
        }, "A gets Modify on k once B answers again", 10_000);
        await Wait.UntilAsync(async () =>
        {
            share = await a.AcquireAsync(k2, Share);
            return share == (Share, 0L);
        }, "A gets Share on k2", 10_000);
        var status = gcm.GetStatus();
        Assert.True(status.Counter("reduce.timeout") >= 1);
        Assert.True(status.Sessions.Single(s => s.ServerId == 2).LastErrorAgoMs >= t.GlobalForbidPeriod);
    }

    [Fact]
    public async Task ReduceHandlerExceptionFailsTheAcquire()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        var k = Keys.Of(3);
        await b.AcquireAsync(k, Share);
        b.OnReduce = _ => Task.FromResult<(int, long)?>((GlobalResultCode.ReduceException, GlobalResultCode.ReduceException));
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireModifyFailed), await a.AcquireAsync(k, Modify));
        Assert.Equal(Share, gcm.StateOf(2, k));
        Assert.Equal(1, gcm.GetStatus().Counter("reduce.failed"));
    }

    [Fact]
    public async Task DisconnectedHolderFailsAtOnceAndKeepsItsKeys()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        var k = Keys.Of(4);
        await b.AcquireAsync(k, Modify);
        b.Close();
        await Wait.UntilAsync(() => !gcm.GetStatus().Sessions.Single(s => s.ServerId == 2).Connected, "B unbound");
        var sw = Stopwatch.StartNew();
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireShareFailed), await a.AcquireAsync(k, Share));
        Assert.True(sw.ElapsedMilliseconds < 200, $"{sw.ElapsedMilliseconds} ms");
        Assert.Equal(Modify, gcm.StateOf(2, k)); // only the daemon may take it away (A8)
    }

    [Fact]
    public async Task SendFailureStopsIssuingFurtherReducesToSharers()
    {
        await using var gcm = await Gcm.StartAsync();
        var sharers = new List<FakeServer>();
        var k = Keys.Of(5);
        for (int i = 1; i <= 4; i++)
        {
            var s = await FakeServer.ConnectAsync(gcm.Port, i);
            await s.AcquireAsync(k, Share);
            sharers.Add(s);
        }
        await using var w = await FakeServer.ConnectAsync(gcm.Port, 9);
        sharers[0].Close(); // the first sharer in the key's list cannot be sent to
        await Wait.UntilAsync(() => !gcm.GetStatus().Sessions.Single(s => s.ServerId == 1).Connected, "unbound");
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireModifyFailed), await w.AcquireAsync(k, Modify));
        Assert.All(sharers.Skip(1), s => Assert.Empty(s.Reduces));
        Assert.All(sharers, s => Assert.Equal(Share, gcm.StateOf(s.ServerId, k)));
        foreach (var s in sharers) await s.DisposeAsync();
    }
}
