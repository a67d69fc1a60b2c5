using Zeze.Tool;

namespace Zeze.GlobalCache.Tests;

/// <summary>The zeze command's GCM parts, in-process.</summary>
public class ToolTests
{
    [Fact]
    public async Task StatusCommandPrintsTheSummaryOrTheConnectError()
    {
        await using var gcm = await Gcm.StartAsync();
        await using var a = await FakeServer.ConnectAsync(gcm.Port, 3);
        await a.AcquireAsync(Keys.Of(1), Services.GlobalCache.GlobalState.Modify);
        var (code, text) = await GcmStatusCommand.QueryAsync("127.0.0.1", gcm.Port, 5000, default);
        Assert.Equal(0, code);
        Assert.Contains("keys: 1, busy: 0, queued requests: 0", text);
        Assert.Contains("server 3: connected", text);
        int unused = gcm.Port;
        await gcm.StopAsync();
        var (failed, error) = await GcmStatusCommand.QueryAsync("127.0.0.1", unused, 1000, default);
        Assert.Equal(1, failed);
        Assert.Contains("cannot connect", error);
    }

    [Fact]
    public async Task BenchRunsAndChecks()
    {
        var line = await GcmBenchCommand.RunAsync(agentCount: 2, concurrency: 4, seconds: 0.5, keysPerLoop: 10, default);
        Assert.StartsWith("RESULT workload=gcm-acquire-release", line);
        Assert.EndsWith("check=PASS", line);
    }
}
