using Zeze.Services.GlobalCache;
using static Zeze.Services.GlobalCache.GlobalState;

namespace Zeze.GlobalCache.Tests;

/// <summary>The agent against real GCMs (A6, A9, A13).</summary>
public class AgentTests
{
    [Fact]
    public async Task AcquiresAndReducesFlowBetweenTwoAgents()
    {
        await using var gcm = await Gcm.StartAsync();
        var ha = new TestHandler();
        var hb = new TestHandler();
        await using var a = await Agents.StartAsync(1, gcm.Address(), ha);
        await using var b = await Agents.StartAsync(2, gcm.Address(), hb);
        Assert.Equal(AchillesHeelTiming.TestProfile, a.TimingOf(0));
        Assert.Equal(1, a.LoginCount(0));
        var k = Keys.Of(1);
        Assert.Equal(new AcquireResult(Modify, 0), await a.AcquireAsync(k, Modify, fresh: false));
        Assert.Equal(new AcquireResult(Modify, GlobalResultCode.AcquireShareAlreadyIsModify), await a.AcquireAsync(k, Share, fresh: false));
        Assert.Equal(new AcquireResult(Share, 0), await b.AcquireAsync(k, Share, fresh: true));
        var (key, target, fresh) = Assert.Single(ha.Reduces);
        Assert.Equal(k, key);
        Assert.Equal(Invalid, target);
        Assert.True(fresh);
        await b.ReleaseAsync(k);
        Assert.Equal(Invalid, gcm.StateOf(2, k));
        Assert.Equal(new AcquireResult(Invalid, GlobalResultCode.AcquireErrorState), await a.AcquireAsync(k, Invalid, fresh: false));
    }

    [Fact]
    public async Task HandlerRefusalAndExceptionReachTheRequester()
    {
        await using var gcm = await Gcm.StartAsync();
        var ha = new TestHandler();
        await using var a = await Agents.StartAsync(1, gcm.Address(), ha);
        await using var b = await Agents.StartAsync(2, gcm.Address(), new TestHandler());
        var k = Keys.Of(2);
        await a.AcquireAsync(k, Modify, false);
        ha.OnReduce = _ => new AcquireResult(Modify, GlobalResultCode.ReduceErrorFreshAcquire);
        var refused = await b.AcquireAsync(k, Modify, false);
        Assert.Equal(new AcquireResult(Invalid, GlobalResultCode.ReduceErrorFreshAcquire), refused);
        Assert.True(GlobalResultCode.IsRedo(refused.ResultCode));
        ha.OnReduce = _ => throw new InvalidOperationException("reduce handler failure on purpose");
        var failed = await b.AcquireAsync(k, Modify, false);
        Assert.Equal(new AcquireResult(Invalid, GlobalResultCode.AcquireModifyFailed), failed);
        Assert.False(GlobalResultCode.IsRedo(failed.ResultCode));
        Assert.Equal(Modify, gcm.StateOf(1, k));
    }

    [Fact]
    public async Task StopSendsNormalCloseSoTheGcmReleasesAtOnce()
    {
        await using var gcm = await Gcm.StartAsync();
        var ha = new TestHandler();
        var a = await Agents.StartAsync(1, gcm.Address(), ha);
        await using var b = await Agents.StartAsync(2, gcm.Address(), new TestHandler());
        for (int i = 0; i < 10; i++) await a.AcquireAsync(Keys.Of(i), Modify, false);
        Assert.Equal(10, gcm.KeyCount);
        await a.StopAsync();
        Assert.Equal(0, gcm.KeyCount);
        Assert.Equal(new AcquireResult(Modify, 0), await b.AcquireAsync(Keys.Of(3), Modify, false));
        Assert.Empty(ha.Reduces);
        Assert.Equal(new AcquireResult(Invalid, GlobalResultCode.AgentStopped), await a.AcquireAsync(Keys.Of(3), Share, false));
    }

    [Fact]
    public async Task SecondProcessWithTheSameServerIdCannotLogIn()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await Agents.StartAsync(1, gcm.Address(), new TestHandler());
        var log = new TestLog();
        var options = Agents.Options(1, gcm.Address());
        options.StartTimeoutMs = 10_000; // the refusal ends the start long before
        await using var twin = new GlobalCacheAgent(options, new TestHandler(), log);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => twin.StartAsync());
        Assert.Contains("another live server uses server id 1", e.Message);
        Assert.True(log.Contains("LoginBindSocketFail"), string.Join("\n", log.Entries.Select(x => x.Message)));
        Assert.True(a.IsLoggedIn(0));
    }

    [Fact]
    public async Task KeysAreShardedOverInstancesAndALostInstanceOnlyFailsItsKeys()
    {
        var gcms = new List<GlobalCacheManagerServer>();
        for (int i = 0; i < 3; i++) gcms.Add(await Gcm.StartAsync(Gcm.Options(index: i)));
        string managers = string.Join(";", gcms.Select(g => g.Address()));
        await using var a = await Agents.StartAsync(1, managers, new TestHandler());
        Assert.Equal(3, a.InstanceCount);
        var keys = Enumerable.Range(0, 60).Select(i => Keys.Of(i)).ToList();
        foreach (var k in keys) Assert.True((await a.AcquireAsync(k, Share, false)).Granted);
        for (int i = 0; i < 3; i++)
        {
            int index = i;
            var mine = keys.Where(k => GlobalKeyHash.InstanceIndex(k, 3) == index).ToList();
            Assert.NotEmpty(mine);
            Assert.Equal(mine.Count, gcms[i].KeyCount);
            Assert.All(mine, k => Assert.Equal(Share, gcms[index].StateOf(1, k)));
            Assert.Equal(index, a.InstanceIndexOf(mine[0]));
        }
        await gcms[1].DisposeAsync();
        await Wait.UntilAsync(() => !a.IsLoggedIn(1), "instance 1 lost");
        foreach (var k in keys)
        {
            var r = await a.AcquireAsync(k, Modify, false);
            if (GlobalKeyHash.InstanceIndex(k, 3) == 1)
                Assert.True(r.ResultCode is GlobalResultCode.AgentNotLoggedIn or GlobalResultCode.AgentFastFail, $"code {r.ResultCode}");
            else
                Assert.Equal(new AcquireResult(Modify, 0), r);
        }
        await gcms[0].DisposeAsync();
        await gcms[2].DisposeAsync();
    }

    [Fact]
    public async Task AcquireBeforeStartIsRefused()
    {
        await using var a = new GlobalCacheAgent(Agents.Options(1, "127.0.0.1:1"), new TestHandler());
        Assert.Equal(new AcquireResult(Invalid, GlobalResultCode.AgentStopped), await a.AcquireAsync(Keys.Of(1), Share, false));
        await a.ReleaseAsync(Keys.Of(1)); // nothing to do, no error
    }
}
