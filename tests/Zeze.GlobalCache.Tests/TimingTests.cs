using Zeze.Services.GlobalCache;

namespace Zeze.GlobalCache.Tests;

public class TimingTests
{
    [Fact]
    public void ProductionDefaultsFollowZezeFormulas()
    {
        var t = AchillesHeelTiming.Production;
        Assert.Equal(3000, t.ServerKeepAliveIdleTimeout);
        Assert.Equal(8000, t.ServerDaemonTimeout);
        Assert.Equal(60000, t.ServerReleaseTimeout);
        Assert.Equal(75000, t.GlobalDaemonTimeout);
        Assert.Equal(17000, t.ReduceTimeout);
        Assert.Equal(20000, t.AcquireTimeout);
        Assert.Equal(3000, t.KeepAliveTimeout);
        Assert.Equal(4000, t.ServerFastErrorPeriod);
        Assert.Equal(4000, t.GlobalForbidPeriod);
        Assert.Equal(20000, t.LoginTimeout);
        Assert.Equal(1000, t.AgentDaemonPeriod);
        Assert.Equal(5000, t.GlobalDaemonPeriod);
        Assert.Empty(t.Validate());
    }

    [Fact]
    public void TestProfileIsTheOneOfD4()
    {
        var t = AchillesHeelTiming.TestProfile;
        Assert.Equal(1600, t.ServerDaemonTimeout);
        Assert.Equal(4300, t.GlobalDaemonTimeout);
        Assert.Equal(500, t.ReduceTimeout);
        Assert.Equal(600, t.AcquireTimeout);
        Assert.Empty(t.Validate());
    }

    [Fact]
    public void InvalidInputsAreReportedByName()
    {
        var errors = new AchillesHeelTiming(0, -1, 0, reconnectTimer: 0, daemonSlack: -1).Validate();
        Assert.Contains(errors, e => e.StartsWith("MaxNetPing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ServerProcessTime", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ServerReleaseTimeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ReconnectTimer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("DaemonSlack", StringComparison.Ordinal));
    }

    [Fact]
    public void KeepAliveMustFitInsideTheServerDaemonTimeout()
    {
        // 2 x 500 = 1000 >= 8 x 100 = 800: the server would give up before a keep-alive could come back.
        var errors = new AchillesHeelTiming(500, 400, 1500, reconnectTimer: 100).Validate();
        var e = Assert.Single(errors);
        Assert.Contains("ServerDaemonTimeout", e);
    }

    [Fact]
    public void GcmRefusesInvalidOptionsWithClearMessages()
    {
        var o = new GlobalCacheManagerOptions { Port = 70000, MaxNetPing = 2000, ReconnectTimer = 200, QuarantineMs = -1 };
        var ex = Assert.Throws<ArgumentException>(() => new GlobalCacheManagerServer(o));
        Assert.Contains("Port must be 0..65535 (got 70000)", ex.Message);
        Assert.Contains("QuarantineMs", ex.Message);
        Assert.Contains("ServerDaemonTimeout", ex.Message);
    }

    [Fact]
    public void AgentRefusesInvalidOptions()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GlobalCacheAgent(new GlobalCacheAgentOptions { Managers = "localhost", ServerId = -1 }, new NullHandler()));
        Assert.Contains("ServerId must be >= 0", ex.Message);
        Assert.Contains("'localhost' is not host:port", ex.Message);
        Assert.Equal([("127.0.0.1", 5002), ("::1", 5003)], GlobalCacheAgentOptions.ParseManagers("127.0.0.1:5002; [::1]:5003"));
    }

    private sealed class NullHandler : IGlobalCacheHandler
    {
        public ValueTask<AcquireResult> ReduceAsync(ReadOnlyMemory<byte> globalKey, int targetState, bool requesterFresh, CancellationToken cancellationToken = default) =>
            new(new AcquireResult(GlobalState.Invalid, 0));

        public Task LocalReleaseAsync(int instanceIndex, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
