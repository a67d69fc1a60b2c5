using System.Globalization;
using Zeze.Bench.Local;

namespace Zeze.Bench.Distributed;

/// <summary>
/// G1: two servers each run W3 (<c>--count</c> procedures, default 1,000,000) on their own 1000 keys (server 1 from
/// key 0, server 2 from 1000), at the same time. The keys are disjoint, so after a key's first acquire (Share on load,
/// Modify at its first commit) the GCM is not involved: the figure shows what the global cache costs when it is not
/// needed. The target compares the combined throughput (both servers' procedures over the span both ran in) with W3 in
/// one process, measured first in the same run on the same database server (its own scratch schema).
/// </summary>
public sealed class G1Disjoint : DistributedWorkload
{
    public const double Target = 0.70;

    public override string Id => "G1";

    public override long DefaultCount => 1_000_000;

    protected override async Task<WorkloadResult> RunOnServerAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        // The reference: W3 with the same count, in this process, on its own scratch schema of the same server.
        var w3 = await new W3AddSpread().RunAsync(options.WithCount(count), cancellationToken).ConfigureAwait(false);
        // Not a RESULT line: a G1 run prints exactly one, its own.
        Console.WriteLine("REFERENCE " + ResultLine.Format("W3", options, w3)["RESULT ".Length..]);

        await using var cluster = await Cluster.StartAsync(Id, options).ConfigureAwait(false);
        if (!options.NoWarmup)
        {
            long warmup = Math.Min(LocalWorkload.WarmupCount, count);
            _ = await cluster.RunBothAsync(_ => Run(WarmupBase, warmup)).ConfigureAwait(false);
        }
        var run = await cluster.RunBothAsync(_ => Run(0, count)).ConfigureAwait(false);

        // Each server reads both ranges: its own from its cache, the other's through the GCM (the other flushes first).
        bool invariant = run.Ops == count * Cluster.ServerCount && run.Sum("failed") == 0;
        for (int s = 0; s < Cluster.ServerCount; s++)
        {
            var seen = await cluster.AskAsync(s, "CHECK 0", "CHECKED", Cluster.ShortTimeout).ConfigureAwait(false);
            for (int range = 0; range < Cluster.ServerCount; range++)
            {
                long sum = seen.Long("sum" + range.ToString(CultureInfo.InvariantCulture));
                if (sum != count)
                {
                    invariant = false;
                    Console.Error.WriteLine($"G1: server {s + 1} sees sum {sum} over server {range + 1}'s keys, expected {count}");
                }
            }
        }

        double g1PerSec = run.Ops / run.Seconds;
        double w3PerSec = w3.Seconds > 0 ? w3.Ops / w3.Seconds : 0;
        double ratio = w3PerSec > 0 ? g1PerSec / w3PerSec : 0;
        bool targetMet = w3.Check && ratio >= Target;
        string target = string.Create(CultureInfo.InvariantCulture,
            $"TARGET G1/W3 = {ratio:F3} (>= {Target:F2}) {(targetMet ? "PASS" : "FAIL")}{(w3.Check ? "" : " (the W3 reference failed its check)")}; invariant {(invariant ? "PASS" : "FAIL")}");
        return new WorkloadResult(run.Ops, run.Seconds, invariant && targetMet, run.Latency,
            Note: string.Create(CultureInfo.InvariantCulture, $"servers=2,w3_ops_per_sec={w3PerSec:F0},ratio={ratio:F3},{run.CounterNote}"), Trailer: target);
    }

    private static string Run(long keyBase, long count) => string.Create(CultureInfo.InvariantCulture, $"RUN {keyBase} {count}");

    /// <summary>Server side: W3's procedures on this server's own 1000 keys.</summary>
    internal sealed class Server : ServerPart
    {
        private static long FirstKey(long keyBase, int index) => keyBase + index * W3AddSpread.Keys;

        public override async Task<PartRun> RunAsync(ServerContext ctx, long keyBase, long count, LatencyRecorder latency)
        {
            var table = ctx.Module.tValue;
            long first = FirstKey(keyBase, ctx.Index);
            Func<long, ValueTask<long>> add = async i =>
            {
                (await table.GetOrAddAsync(first + i % W3AddSpread.Keys)).Value += 1;
                return 0;
            };
            var outcome = await FrameworkApp.RunAllAtOnceAsync(ctx.App, count, add, latency, "G1").ConfigureAwait(false);
            return new PartRun(count, outcome.Seconds, outcome.NonZeroResults);
        }

        public override async Task<(string Key, object Value)[]> CheckAsync(ServerContext ctx, long keyBase)
        {
            var table = ctx.Module.tValue;
            var sums = new long[Cluster.ServerCount];
            await RunOrThrowAsync(ctx, async () =>
            {
                Array.Clear(sums); // a redone attempt starts over
                for (int s = 0; s < sums.Length; s++)
                {
                    for (long k = 0; k < W3AddSpread.Keys; k++) sums[s] += (await table.GetAsync(FirstKey(keyBase, s) + k))?.Value ?? 0;
                }
                return 0;
            }, "G1-check").ConfigureAwait(false);
            return [.. sums.Select((sum, s) => ("sum" + s.ToString(CultureInfo.InvariantCulture), (object)sum))];
        }
    }
}
