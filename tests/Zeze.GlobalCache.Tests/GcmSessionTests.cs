using System.Diagnostics;
using Zeze.Services.GlobalCache;
using static Zeze.Services.GlobalCache.GlobalState;

namespace Zeze.GlobalCache.Tests;

/// <summary>Sessions, the GCM daemon and the start-up quarantine (A9, A11, A12; T-19).</summary>
public class GcmSessionTests
{
    [Fact]
    public async Task LoginAnswersTheTimingInputs()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1, login: false);
        var (rc, config) = await a.LoginWithConfigAsync();
        Assert.Equal(0, rc);
        Assert.Equal(AchillesHeelTiming.TestProfile, AchillesHeelTiming.From(config));
    }

    [Fact]
    public async Task T19_DuplicateLiveServerIdIsRefusedWith120()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var first = await FakeServer.ConnectAsync(gcm.Port, 7);
        await using var second = await FakeServer.ConnectAsync(gcm.Port, 7, login: false);
        Assert.Equal(GlobalResultCode.LoginBindSocketFail, await second.LoginAsync());
        Assert.Equal(GlobalResultCode.ReLoginBindSocketFail, await second.ReLoginAsync());
        Assert.Equal(GlobalResultCode.LoginBindSocketFail, await first.LoginAsync()); // this connection is logged in already
        first.Close();
        await Wait.UntilAsync(() => !gcm.GetStatus().Sessions.Single().Connected, "first unbound");
        Assert.Equal(0, await second.LoginAsync());
    }

    [Fact]
    public async Task LoginReleasesWhatTheServerHeldBefore()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        await using (var a = await FakeServer.ConnectAsync(gcm.Port, 1))
        {
            for (int i = 0; i < 20; i++) await a.AcquireAsync(Keys.Of(i), Modify);
        }
        // A restarts (same server id, empty cache): its Login releases the 20 keys, nobody is reduced.
        await using var a2 = await FakeServer.ConnectAsync(gcm.Port, 1);
        Assert.Equal(0, gcm.KeyCount);
        Assert.Equal((Modify, 0L), await b.AcquireAsync(Keys.Of(3), Modify));
        Assert.Empty(a2.Reduces);
    }

    [Fact]
    public async Task ReLoginKeepsTheKeysAndReducesGoToTheNewConnection()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        var k = Keys.Of(1);
        await using (var a = await FakeServer.ConnectAsync(gcm.Port, 1))
        {
            await a.AcquireAsync(k, Modify);
        }
        await using var again = await FakeServer.ConnectAsync(gcm.Port, 1, login: false);
        Assert.Equal(0, await again.ReLoginAsync());
        Assert.Equal(Modify, gcm.StateOf(1, k));
        Assert.Equal((Share, 0L), await b.AcquireAsync(k, Share));
        Assert.Single(again.Reduces);
    }

    [Fact]
    public async Task ReLoginIsRefusedWhenThisGcmNeverSawTheServer()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1, login: false);
        Assert.Equal(GlobalResultCode.ReLoginBindSocketFail, await a.ReLoginAsync());
        Assert.Equal(0, await a.LoginAsync());
    }

    [Fact]
    public async Task NormalCloseReleasesEverythingAndNeedsALogin()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var stranger = await FakeServer.ConnectAsync(gcm.Port, 5, login: false);
        Assert.Equal(GlobalResultCode.NormalCloseUnbindFail, await stranger.NormalCloseAsync());
        for (int i = 0; i < 10; i++) await a.AcquireAsync(Keys.Of(i), i % 2 == 0 ? Share : Modify);
        Assert.Equal(0, await a.NormalCloseAsync());
        Assert.Equal(0, gcm.KeyCount);
        Assert.Equal(GlobalResultCode.ReLoginBindSocketFail, await a.ReLoginAsync());
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireNotLogin), await a.AcquireAsync(Keys.Of(1), Share));
    }

    [Fact]
    public async Task StartUpQuarantineAnswersNotLoggedInUntilItEnds()
    {
        await using var gcm = await Gcm.StartAsync(Gcm.Options(quarantineMs: 700));
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1); // Login is served during the quarantine
        Assert.True(gcm.InQuarantine);
        Assert.Equal((Invalid, (long)GlobalResultCode.AcquireNotLogin), await a.AcquireAsync(Keys.Of(1), Share));
        Assert.True((await a.StatusAsync()).QuarantineRemainingMs > 0);
        await Wait.UntilAsync(() => !gcm.InQuarantine, "quarantine over", 5000);
        Assert.Equal((Share, 0L), await a.AcquireAsync(Keys.Of(1), Share));
    }

    [Fact]
    public void DefaultQuarantineIsTheGlobalDaemonTimeout()
    {
        var o = Gcm.Options(quarantineMs: null);
        var gcm = new GlobalCacheManagerServer(o);
        Assert.Equal(4300, gcm.Timing.GlobalDaemonTimeout);
        Assert.Contains("quarantine", gcm.GetStatus().Format());
    }

    [Fact]
    public async Task DaemonKicksAnInactiveSessionAndReleasesItsKeys()
    {
        await using var gcm = await Gcm.StartAsync(Gcm.Options(Gcm.ShortDaemons));
        var t = gcm.Timing;
        await using var silent = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var debug = await FakeServer.ConnectAsync(gcm.Port, 2, debug: true);
        await using var alive = await FakeServer.ConnectAsync(gcm.Port, 3);
        await silent.AcquireAsync(Keys.Of(1), Modify);
        await debug.AcquireAsync(Keys.Of(2), Modify);
        await alive.AcquireAsync(Keys.Of(3), Modify);
        var sw = Stopwatch.StartNew();
        using var keepAlive = new CancellationTokenSource();
        var pings = Task.Run(async () =>
        {
            while (!keepAlive.IsCancellationRequested)
            {
                await alive.KeepAliveAsync();
                await Task.Delay(t.ServerKeepAliveIdleTimeout);
            }
        });
        await Wait.BoundedAsync(silent.Socket.Closed, "silent session kicked", t.GlobalDaemonTimeout + 3000);
        Assert.True(sw.ElapsedMilliseconds >= t.GlobalDaemonTimeout - 50, $"kicked after {sw.ElapsedMilliseconds} ms");
        await Wait.UntilAsync(() => gcm.StateOf(1, Keys.Of(1)) == Invalid, "silent keys released");
        await Task.Delay(t.GlobalDaemonPeriod * 2);
        keepAlive.Cancel();
        await pings;
        Assert.Equal(Modify, gcm.StateOf(2, Keys.Of(2))); // debug sessions are exempt
        Assert.Equal(Modify, gcm.StateOf(3, Keys.Of(3))); // active sessions are never force-released
        Assert.False(debug.Socket.IsClosed);
        Assert.False(alive.Socket.IsClosed);
        Assert.Equal(1, gcm.GetStatus().Counter("kicks"));
        // A kicked server must log in afresh.
        await using var back = await FakeServer.ConnectAsync(gcm.Port, 1, login: false);
        Assert.Equal(GlobalResultCode.ReLoginBindSocketFail, await back.ReLoginAsync());
        Assert.Equal(0, await back.LoginAsync());
    }

    [Fact]
    public async Task StatusIsServedOverTheNetworkWithoutLogin()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 1);
        await using var b = await FakeServer.ConnectAsync(gcm.Port, 2);
        await using var admin = await FakeServer.ConnectAsync(gcm.Port, 0, login: false);
        await a.AcquireAsync(Keys.Of(1), Modify);
        await b.AcquireAsync(Keys.Of(1), Modify);
        await b.AcquireAsync(Keys.Of(2), Share);
        var s = await admin.StatusAsync();
        Assert.Equal(2, s.Keys);
        Assert.Equal(2, s.Sessions.Count);
        Assert.Equal(0, s.Sessions[0].KeysHeld);
        Assert.Equal(2, s.Sessions[1].KeysHeld);
        Assert.Equal(2, s.Counter("acquire.modify.0.Success"));
        Assert.Equal(1, s.Counter("reduce.sent"));
        var text = s.Format();
        Assert.Contains("server 2: connected", text);
        Assert.Contains("hot keys: 1", text);
        Assert.Contains("table:1 key:0100000000000000", text);
    }
}
