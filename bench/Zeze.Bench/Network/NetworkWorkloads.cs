using System.Globalization;

namespace Zeze.Bench.Network;

/// <summary>
/// N1: one connection, 1000 rpcs in flight, 1,000,000 echo rpcs of a 100-byte bean. Without --raw the run alternates
/// the raw echo and the rpc echo <see cref="Pairs"/> times (same sockets setup, same count) and checks the targets on
/// the medians: N1 &gt;= 300,000 rpcs/s and at least half the raw echo. On a shared 2-core machine one loopback run
/// varies by a factor of two (how well sends batch, what the other tenants do during its half second), so a single
/// pair says little; the median of five keeps a run or two that a burst of load hit from deciding the result. --raw: the plain framed echo alone.
/// </summary>
public sealed class N1RpcEcho : IWorkload
{
    public const double MinRpcsPerSecond = 300_000;
    public const double MinRatioToRaw = 0.5;
    public const int Pairs = 5;

    public string Id => "N1";
    public long DefaultCount => 1_000_000;
    public bool HasRaw => true;
    public bool UsesDatabase => false;

    public async Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        long count = options.CountOr(DefaultCount);
        int inFlight = options.Concurrency ?? 1000;
        if (options.Raw) return await RawEchoRun.RunAsync(count, inFlight).ConfigureAwait(false);
        var raws = new List<WorkloadResult>();
        var pairRatios = new List<double>();
        var rpcs = new List<WorkloadResult>();
        for (int pair = 0; pair < Pairs; pair++)
        {
            var raw = await RawEchoRun.RunAsync(count, inFlight).ConfigureAwait(false);
            // Not RESULT lines: an N1 run prints exactly one, its own (the median rpc run).
            Console.WriteLine("REFERENCE " + ResultLine.Format(Id, options.AsRaw(), raw)["RESULT ".Length..]);
            raws.Add(raw);
            var rpc = await RpcEchoRun.RunAsync(count, connections: 1, inFlight, secured: false).ConfigureAwait(false);
            if (pair < Pairs - 1) Console.WriteLine("RUN " + ResultLine.Format(Id, options, rpc, usesDatabase: false)["RESULT ".Length..]);
            rpcs.Add(rpc);
            pairRatios.Add(PerSec(raw) > 0 ? PerSec(rpc) / PerSec(raw) : 0);
        }
        static double PerSec(WorkloadResult r) => r.Seconds > 0 ? r.Ops / r.Seconds : 0;
        var median = rpcs.OrderBy(PerSec).ElementAt(Pairs / 2);
        double rpcPerSec = PerSec(median);
        double rawPerSec = raws.Select(PerSec).Order().ElementAt(Pairs / 2);
        double ratio = rawPerSec > 0 ? rpcPerSec / rawPerSec : 0;
        bool targetMet = raws.All(r => r.Check) && rpcPerSec >= MinRpcsPerSecond && ratio >= MinRatioToRaw;
        string target = string.Create(CultureInfo.InvariantCulture,
            $"TARGET N1 median = {rpcPerSec:F0}/s (>= {MinRpcsPerSecond:F0}), N1/raw medians = {ratio:F3} (>= {MinRatioToRaw:F2}) {(targetMet ? "PASS" : "FAIL")}");
        return median with
        {
            Check = rpcs.All(r => r.Check) && targetMet,
            Note = string.Create(CultureInfo.InvariantCulture, $"{median.Note} median_of={Pairs} raw_median_ops_per_sec={rawPerSec:F0} ratio={ratio:F3} pair_ratios={string.Join('/', pairRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}"),
            Trailer = target,
        };
    }
}

/// <summary>N2: N1 with key exchange, AES encryption and MPPC compression both ways.</summary>
public sealed class N2RpcEchoSecured : IWorkload
{
    public string Id => "N2";
    public long DefaultCount => 1_000_000;
    public bool HasRaw => false;
    public bool UsesDatabase => false;

    public const double MinRpcsPerSecond = 100_000;

    public async Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var rpc = await RpcEchoRun.RunAsync(options.CountOr(DefaultCount), connections: 1, inFlight: options.Concurrency ?? 1000, secured: true).ConfigureAwait(false);
        double perSec = rpc.Seconds > 0 ? rpc.Ops / rpc.Seconds : 0;
        bool targetMet = perSec >= MinRpcsPerSecond;
        return rpc with
        {
            Check = rpc.Check && targetMet,
            Trailer = string.Create(CultureInfo.InvariantCulture, $"TARGET N2 = {perSec:F0}/s (>= {MinRpcsPerSecond:F0}) {(targetMet ? "PASS" : "FAIL")}"),
        };
    }
}

/// <summary>N3: 2,000 connections, each doing 100 sequential rpcs (--concurrency sets the connections).</summary>
public sealed class N3ManyClients : IWorkload
{
    public string Id => "N3";
    public long DefaultCount => 200_000;
    public bool HasRaw => false;
    public bool UsesDatabase => false;

    public Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        int connections = options.Concurrency ?? 2000;
        return RpcEchoRun.RunAsync(options.CountOr(connections * 100L), connections, inFlight: 1, secured: false);
    }
}
