using System.CommandLine;
using System.Diagnostics;
using Zeze.Services.GlobalCache;

namespace Zeze.Tool;

/// <summary>
/// <c>zeze gcm bench</c>: an embedded GCM on loopback and N agents (each its own server id), each running C
/// loops of acquire Modify + release on its own keys (no contention: the GCM's uncontended path, one round trip
/// each). Prints one RESULT line. Bounded in time; traffic stays on 127.0.0.1.
/// </summary>
internal static class GcmBenchCommand
{
    public static Command Create()
    {
        var agents = new Option<int>("--agents") { Description = "App servers (agents).", DefaultValueFactory = _ => 2 };
        var concurrency = new Option<int>("--concurrency") { Description = "Loops per agent.", DefaultValueFactory = _ => 64 };
        var seconds = new Option<double>("--seconds") { Description = "Duration (at most 60).", DefaultValueFactory = _ => 5 };
        var keys = new Option<int>("--keys") { Description = "Keys per loop.", DefaultValueFactory = _ => 100 };
        var command = new Command("bench", "Measure acquires per second of an embedded GCM with agents on loopback.");
        foreach (var o in new Option[] { agents, concurrency, seconds, keys }) command.Options.Add(o);
        command.SetAction(async (ParseResult r, CancellationToken cancellationToken) =>
        {
            var line = await RunAsync(r.GetValue(agents), r.GetValue(concurrency), Math.Min(60, r.GetValue(seconds)), r.GetValue(keys), cancellationToken);
            Console.WriteLine(line);
            return 0;
        });
        return command;
    }

    public static async Task<string> RunAsync(int agentCount, int concurrency, double seconds, int keysPerLoop, CancellationToken cancellationToken)
    {
        await using var gcm = new GlobalCacheManagerServer(new GlobalCacheManagerOptions { Host = "127.0.0.1", Port = 0, QuarantineMs = 0 });
        await gcm.StartAsync(cancellationToken);
        var list = new List<GlobalCacheAgent>();
        for (int i = 0; i < agentCount; i++)
        {
            var agent = new GlobalCacheAgent(new GlobalCacheAgentOptions { ServerId = i + 1, Managers = $"127.0.0.1:{gcm.Port}" }, new NoDataHandler());
            await agent.StartAsync(cancellationToken);
            list.Add(agent);
        }
        long ops = 0, failures = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        var sw = Stopwatch.StartNew();
        var loops = new List<Task>();
        for (int a = 0; a < agentCount; a++)
        {
            for (int c = 0; c < concurrency; c++)
            {
                var agent = list[a];
                int loop = a * concurrency + c;
                loops.Add(Task.Run(async () =>
                {
                    long n = 0, failed = 0;
                    for (int i = 0; !stop.IsCancellationRequested; i++)
                    {
                        var key = GlobalKeyText.Make(1, BitConverter.GetBytes((long)loop * keysPerLoop + i % keysPerLoop));
                        var result = await agent.AcquireAsync(key, GlobalState.Modify, fresh: false);
                        if (!result.Granted) failed++;
                        await agent.ReleaseAsync(key);
                        n += 2;
                    }
                    Interlocked.Add(ref ops, n);
                    Interlocked.Add(ref failures, failed);
                }));
            }
        }
        await Task.WhenAll(loops);
        double elapsed = sw.Elapsed.TotalSeconds;
        foreach (var agent in list) await agent.StopAsync(CancellationToken.None);
        return FormattableString.Invariant(
            $"RESULT workload=gcm-acquire-release agents={agentCount} concurrency={concurrency} ops={ops} seconds={elapsed:F2} ops_per_sec={ops / elapsed:F0} failures={failures} check={(failures == 0 ? "PASS" : "FAIL")}");
    }

    /// <summary>A core with no data: every reduce is answered Invalid, a local release has nothing to flush.</summary>
    private sealed class NoDataHandler : IGlobalCacheHandler
    {
        public ValueTask<AcquireResult> ReduceAsync(ReadOnlyMemory<byte> globalKey, int targetState, bool requesterFresh, CancellationToken cancellationToken = default) =>
            new(new AcquireResult(GlobalState.Invalid, GlobalResultCode.ReduceInvalidAlreadyIsInvalid));

        public Task LocalReleaseAsync(int instanceIndex, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
