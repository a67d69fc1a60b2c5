using Bench.Local;

namespace Zeze.Bench.Distributed;

/// <summary>What a server process of a distributed workload works with.</summary>
/// <param name="Index">0 or 1: which of the two servers this is (its server id is Index + 1).</param>
internal sealed record ServerContext(Application App, ModuleLocal Module, int Index, int? Concurrency);

/// <summary>What one RUN measured in a server process: operations, seconds, failures and workload-specific counts.</summary>
internal sealed record PartRun(long Ops, double Seconds, long Failed, params (string Key, object Value)[] Extra);

/// <summary>
/// The server side of one distributed workload: the procedures a server process runs for the runner's commands.
/// <c>keyBase</c> separates the warm-up's records from the measured run's, so the measured run starts from fresh records.
/// </summary>
internal abstract class ServerPart
{
    /// <summary>INIT: creates the records the run starts from (asked of one server only).</summary>
    public virtual Task InitAsync(ServerContext ctx, long keyBase) => Task.CompletedTask;

    /// <summary>RUN: this server's share of the operations; <paramref name="count"/> is its own count.</summary>
    public abstract Task<PartRun> RunAsync(ServerContext ctx, long keyBase, long count, LatencyRecorder latency);

    /// <summary>CHECK: reads what the invariant needs, as <c>key=value</c> fields (after both servers finished).</summary>
    public abstract Task<(string Key, object Value)[]> CheckAsync(ServerContext ctx, long keyBase);

    /// <summary>Runs one procedure outside the measured part and fails loudly when it fails.</summary>
    protected static async Task RunOrThrowAsync(ServerContext ctx, Func<ValueTask<long>> action, string name)
    {
        long rc = await ctx.App.RunAsync(action, name).ConfigureAwait(false);
        if (rc != 0) throw new InvalidOperationException($"{name} failed with {ResultCode.NameOf(rc) ?? rc.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    public static ServerPart For(string workload) => workload.ToUpperInvariant() switch
    {
        "G1" => new G1Disjoint.Server(),
        "G2" => new G2Shared.Server(),
        "G3" => new G3PingPong.Server(),
        _ => throw new ArgumentException($"no server part for workload '{workload}'"),
    };
}
