using System.Diagnostics;
using Zeze.Services.GlobalCache;
using Zeze.Testing;
using static Zeze.Services.GlobalCache.GlobalState;

namespace Zeze.GlobalCache.Tests;

/// <summary>Disconnects, partitions and restarts through the TCP fault proxy (A9, A11, A12; T-13, T-15, T-16, T-20).</summary>
public class AgentFaultTests
{
    [Fact]
    public async Task T15_BriefDisconnectReLogsInAndKeepsTheLocks()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var proxy = TcpFaultProxy.Start("127.0.0.1", gcm.Port);
        var ha = new TestHandler();
        await using var a = await Agents.StartAsync(1, proxy.Address, ha);
        await using var b = await Agents.StartAsync(2, gcm.Address(), new TestHandler());
        var k = Keys.Of(1);
        Assert.Equal(new AcquireResult(Modify, 0), await a.AcquireAsync(k, Modify, false));

        Assert.Equal(1, proxy.CutAll());
        await Wait.UntilAsync(() => a.ReLoginCount(0) == 1 && a.IsLoggedIn(0), "re-logged in", 5000);
        Assert.Equal(1, a.LoginCount(0));
        Assert.Equal(0, ha.ReleaseCount);
        Assert.Equal(Modify, gcm.StateOf(1, k)); // the lock survived the cut
        Assert.Equal(new AcquireResult(Modify, GlobalResultCode.AcquireModifyAlreadyIsModify), await a.AcquireAsync(k, Modify, false));
        // The new connection serves reduces.
        Assert.Equal(new AcquireResult(Share, 0), await b.AcquireAsync(k, Share, false));
        Assert.Single(ha.Reduces);
    }

    [Fact]
    public async Task T16_GcmRestartMakesReLoginFailThenLocalReleaseThenLogin()
    {
        var gcm1 = await Gcm.StartAsync();
        await using var proxy = TcpFaultProxy.Start("127.0.0.1", gcm1.Port);
        var ha = new TestHandler();
        await using var a = await Agents.StartAsync(1, proxy.Address, ha);
        var k = Keys.Of(1);
        Assert.True((await a.AcquireAsync(k, Modify, false)).Granted);

        await gcm1.DisposeAsync();
        await using var gcm2 = await Gcm.StartAsync(Gcm.Options(quarantineMs: 1500));
        proxy.SetTarget("127.0.0.1", gcm2.Port);
        proxy.CutAll();
        await Wait.UntilAsync(() => a.LoginCount(0) == 2 && a.IsLoggedIn(0), "logged in afresh", 8000);
        var (index, start, end) = Assert.Single(ha.Releases);
        Assert.Equal(0, index);
        Assert.True(end >= start);
        Assert.Equal(0, a.ReLoginCount(0));

        // The new GCM is in quarantine: nobody is granted anything until old holders had time to release.
        await using var b = await Agents.StartAsync(2, gcm2.Address(), new TestHandler());
        var during = await b.AcquireAsync(k, Modify, false);
        Assert.Equal(new AcquireResult(Invalid, GlobalResultCode.AcquireNotLogin), during);
        Assert.True(GlobalResultCode.IsRedo(during.ResultCode));
        await Wait.UntilAsync(() => !gcm2.InQuarantine, "quarantine over", 5000);
        Assert.Equal(new AcquireResult(Modify, 0), await b.AcquireAsync(k, Modify, false));
        Assert.Equal(new AcquireResult(Share, 0), await a.AcquireAsync(k, Share, false));
    }

    [Fact]
    public async Task AgentDaemonReleasesLocallyWhenTheGcmIsSilentAndHaltsWhenTheReleaseIsTooSlow()
    {
        await using var gcm = await Gcm.StartAsync();
        var t = gcm.Timing;
        await using var proxy = TcpFaultProxy.Start("127.0.0.1", gcm.Port);
        var halted = new TaskCompletionSource<(int Code, string Reason, long AtMs)>();
        var blocker = new TaskCompletionSource();
        var ha = new TestHandler { ReleaseBlocker = blocker.Task };
        await using var a = await Agents.StartAsync(1, proxy.Address, ha, (code, reason) => halted.TrySetResult((code, reason, TestHandler.NowMs)));
        var k = Keys.Of(1);
        Assert.True((await a.AcquireAsync(k, Modify, false)).Granted);

        proxy.Pause(); // a partition: nothing passes, nothing is closed by the network
        long pausedAt = TestHandler.NowMs;
        await Wait.UntilAsync(() => a.IsReleasing(0), "local release started", t.ServerDaemonTimeout + 2000);
        long startedAfter = TestHandler.NowMs - pausedAt;
        Assert.InRange(startedAfter, t.ServerDaemonTimeout - 100, t.ServerDaemonTimeout + 1000);

        // While releasing, acquires on that instance fail at once.
        var sw = Stopwatch.StartNew();
        var r = await a.AcquireAsync(Keys.Of(2), Share, false);
        Assert.Equal(new AcquireResult(Invalid, GlobalResultCode.AgentReleasing), r);
        Assert.True(sw.ElapsedMilliseconds < 100);

        // The release never finishes: past ServerReleaseTimeout the agent stops the process (observed here).
        var (code, reason, atMs) = await Wait.BoundedAsync(halted.Task, "halt", t.ServerReleaseTimeout + 3000);
        Assert.Equal(123123, code);
        Assert.Contains("ServerReleaseTimeout", reason);
        long releaseRan = atMs - (pausedAt + startedAfter);
        Assert.InRange(releaseRan, t.ServerReleaseTimeout - 100, t.ServerReleaseTimeout + 1000);
        Assert.True(atMs - pausedAt < t.GlobalDaemonTimeout, "halted before the GCM would hand the keys away");
        blocker.SetResult();
        proxy.Resume();
    }

    [Fact]
    public async Task T13_PartitionLongerThanGlobalDaemonTimeout()
    {
        await using var gcm = await Gcm.StartAsync(Gcm.Options(Gcm.ShortDaemons));
        var t = gcm.Timing;
        await using var proxy = TcpFaultProxy.Start("127.0.0.1", gcm.Port);
        var ha = new TestHandler();
        var optionsA = Agents.Options(1, proxy.Address);
        optionsA.InitialTiming = Gcm.ShortDaemons;
        await using var a = new GlobalCacheAgent(optionsA, ha, new TestLog());
        await a.StartAsync();
        await using var b = await Agents.StartAsync(2, gcm.Address(), new TestHandler());
        var k = Keys.Of(1);
        Assert.True((await a.AcquireAsync(k, Modify, false)).Granted);

        proxy.Pause();
        long pausedAt = TestHandler.NowMs;
        // B keeps trying; it is refused (reduce timeout, then forbid period) until the GCM revokes A's keys.
        long grantedAt = -1;
        while (TestHandler.NowMs - pausedAt < t.GlobalDaemonTimeout + 3000)
        {
            var r = await b.AcquireAsync(k, Modify, false);
            if (r.Granted)
            {
                grantedAt = TestHandler.NowMs;
                break;
            }
            Assert.True(r.ResultCode is GlobalResultCode.AcquireModifyFailed or GlobalResultCode.AgentFastFail, $"code {r.ResultCode}");
            await Task.Delay(50);
        }
        Assert.True(grantedAt > 0, "B was never granted the key");
        Assert.True(grantedAt - pausedAt >= t.GlobalDaemonTimeout - 200, $"granted {grantedAt - pausedAt} ms after the partition");
        // A gave the key up (and flushed) before anybody else got it.
        var (_, _, releasedAt) = Assert.Single(ha.Releases);
        Assert.True(releasedAt < grantedAt, $"A released at {releasedAt - pausedAt} ms, B granted at {grantedAt - pausedAt} ms");

        proxy.Resume();
        proxy.CutAll(); // the connections A gave up on
        await Wait.UntilAsync(() => a.IsLoggedIn(0) && a.LoginCount(0) == 2, "A logged in afresh", 5000);
        Assert.Equal(new AcquireResult(Share, 0), await a.AcquireAsync(k, Share, false));
    }

    [Fact]
    public async Task T20_IdleServersKeepTheirKeys()
    {
        await using var gcm = await Gcm.StartAsync(Gcm.Options(Gcm.ShortDaemons));
        var t = gcm.Timing;
        var ha = new TestHandler();
        var hb = new TestHandler();
        var oa = Agents.Options(1, gcm.Address());
        var ob = Agents.Options(2, gcm.Address());
        oa.InitialTiming = ob.InitialTiming = Gcm.ShortDaemons;
        await using var a = new GlobalCacheAgent(oa, ha, new TestLog());
        await using var b = new GlobalCacheAgent(ob, hb, new TestLog());
        await a.StartAsync();
        await b.StartAsync();
        Assert.True((await a.AcquireAsync(Keys.Of(1), Modify, false)).Granted);
        Assert.True((await b.AcquireAsync(Keys.Of(2), Share, false)).Granted);
        await Task.Delay(3 * t.GlobalDaemonTimeout);
        Assert.Equal(0, ha.ReleaseCount);
        Assert.Equal(0, hb.ReleaseCount);
        Assert.Equal(0, gcm.GetStatus().Counter("kicks"));
        Assert.Equal(1, a.LoginCount(0));
        Assert.Equal(new AcquireResult(Modify, GlobalResultCode.AcquireModifyAlreadyIsModify), await a.AcquireAsync(Keys.Of(1), Modify, false));
        Assert.Equal(Share, gcm.StateOf(2, Keys.Of(2)));
    }
}
