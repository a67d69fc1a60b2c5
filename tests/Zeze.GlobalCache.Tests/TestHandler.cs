using System.Collections.Concurrent;
using System.Diagnostics;
using Zeze.Services.GlobalCache;

namespace Zeze.GlobalCache.Tests;

/// <summary>The transaction core as the agent sees it, reduced to what the tests observe and control.</summary>
public sealed class TestHandler : IGlobalCacheHandler
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>Reduces received: key, target, requester fresh.</summary>
    public ConcurrentQueue<(byte[] Key, int Target, bool Fresh)> Reduces { get; } = new();

    /// <summary>Local releases: instance, start and end (ms on a shared clock; end -1 while running).</summary>
    public ConcurrentQueue<(int Index, long StartMs, long EndMs)> Releases { get; } = new();

    public Func<ReadOnlyMemory<byte>, AcquireResult>? OnReduce { get; set; }

    /// <summary>A local release waits for this (when set) before finishing.</summary>
    public Task? ReleaseBlocker { get; set; }

    public static long NowMs => Clock.ElapsedMilliseconds;

    public int ReleaseCount => Releases.Count;

    public ValueTask<AcquireResult> ReduceAsync(ReadOnlyMemory<byte> globalKey, int targetState, bool requesterFresh, CancellationToken cancellationToken = default)
    {
        Reduces.Enqueue((globalKey.ToArray(), targetState, requesterFresh));
        return new(OnReduce?.Invoke(globalKey) ?? new AcquireResult(GlobalState.Invalid, GlobalResultCode.Success));
    }

    public async Task LocalReleaseAsync(int instanceIndex, CancellationToken cancellationToken = default)
    {
        long start = NowMs;
        if (ReleaseBlocker != null) await ReleaseBlocker.WaitAsync(cancellationToken);
        Releases.Enqueue((instanceIndex, start, NowMs));
    }
}

public static class Agents
{
    public static GlobalCacheAgentOptions Options(int serverId, string managers, Action<int, string>? halt = null) => new()
    {
        ServerId = serverId,
        Managers = managers,
        InitialTiming = AchillesHeelTiming.TestProfile,
        StartTimeoutMs = 10_000,
        Halt = halt ?? ((code, reason) => Assert.Fail($"unexpected halt {code}: {reason}")),
    };

    public static async Task<GlobalCacheAgent> StartAsync(int serverId, string managers, TestHandler handler, Action<int, string>? halt = null, TestLog? log = null)
    {
        var agent = new GlobalCacheAgent(Options(serverId, managers, halt), handler, log ?? new TestLog());
        await agent.StartAsync();
        return agent;
    }

    public static string Address(this GlobalCacheManagerServer gcm) => $"127.0.0.1:{gcm.Port}";
}
