using System.Globalization;
using Zeze.Bench;

// The benchmark runner of BENCHMARKS.md. Each run prints exactly one RESULT line; a failed check exits 1.
// `--micro` hands the remaining arguments to BenchmarkDotNet (micro-benchmarks under Micro/).
if (args.Length > 0 && args[0] == "--micro")
{
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(IWorkload).Assembly).Run(args[1..]);
    return 0;
}
// `--role g-server` (not for people): a server process of G1–G3, started by the runner itself.
if (args.Length > 1 && args[0] == "--role" && args[1] == "g-server")
    return await Zeze.Bench.Distributed.GServer.RunAsync(args[2..]);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: Zeze.Bench --workload ID|all [--count N] [--concurrency C] [--db DB] [--raw] [--flush] [--runs R] [--no-warmup]");
    Console.Error.WriteLine("       Zeze.Bench --micro [BenchmarkDotNet arguments]");
    Console.Error.WriteLine("workloads: " + string.Join(", ", WorkloadRegistry.All.Select(w => w.Id)));
    return 2;
}

List<IWorkload> selected;
if (options.Workload.Equals("all", StringComparison.OrdinalIgnoreCase))
{
    // The distributed workloads need a database server; without one, "all" runs the rest instead of failing.
    bool distributed = Zeze.Bench.Distributed.DistributedWorkload.CanRunOn(options.Db);
    selected = WorkloadRegistry.All.Where(w => w.Id.StartsWith('W') || (distributed && w.Id.StartsWith('G'))).ToList();
    if (!distributed && !options.Raw)
        Console.WriteLine("SKIPPED G1, G2, G3: " + Zeze.Bench.Distributed.DistributedWorkload.NeedsDatabaseServer);
    if (options.Raw) selected.RemoveAll(w => !w.HasRaw);
}
else
{
    selected = options.Workload.Split(',').Select(id => WorkloadRegistry.Find(id)
        ?? throw new ArgumentException($"unknown workload '{id}'")).ToList();
}

bool allPassed = true;
foreach (var workload in selected)
{
    if (options.Raw && !workload.HasRaw)
    {
        Console.Error.WriteLine($"{workload.Id} has no --raw variant");
        return 2;
    }
    for (int run = 0; run < options.Runs; run++)
    {
        WorkloadResult r;
        try
        {
            r = await workload.RunAsync(options, CancellationToken.None);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{workload.Id} failed: {e}");
            r = new WorkloadResult(0, 0, false, Note: e.GetType().Name);
        }
        allPassed &= r.Check;
        Console.WriteLine(ResultLine.Format(workload.Id, options, r, workload.UsesDatabase));
        if (r.Trailer != null) Console.WriteLine(r.Trailer);
    }
}
return allPassed ? 0 : 1;

namespace Zeze.Bench
{
    public static class ResultLine
    {
        public static string Format(string id, BenchOptions o, WorkloadResult r, bool usesDatabase = true)
        {
            var ci = CultureInfo.InvariantCulture;
            string db = o.Raw ? "raw" : usesDatabase ? DbLabel(o.Db) : "none";
            double opsPerSec = r.Seconds > 0 ? r.Ops / r.Seconds : 0;
            string line = string.Create(ci,
                $"RESULT workload={id} db={db} ops={r.Ops} seconds={r.Seconds:F3} ops_per_sec={opsPerSec:F0} " +
                $"p50_us={r.Latency?.PercentileMicros(0.50) ?? 0:F1} p99_us={r.Latency?.PercentileMicros(0.99) ?? 0:F1} " +
                $"check={(r.Check ? "PASS" : "FAIL")}");
            return r.Note is null ? line : line + " note=" + r.Note.Replace(' ', '_');
        }

        /// <summary>The kind of database, without a connection string that may hold a password.</summary>
        public static string DbLabel(string db)
        {
            int colon = db.IndexOf(':');
            return colon < 0 ? db : db[..colon];
        }
    }
}
