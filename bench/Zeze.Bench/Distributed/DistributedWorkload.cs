namespace Zeze.Bench.Distributed;

/// <summary>
/// A distributed workload (G1–G3): one GCM in the runner and two server processes sharing one database server. Servers
/// that share a database through a GCM need a database server (the options refuse RocksDB and Memory with a GCM), so
/// without <c>--db postgres:...</c> or <c>--db mysql:...</c> the run fails at once, saying how to get one.
/// </summary>
public abstract class DistributedWorkload : IWorkload
{
    /// <summary>The key base of the discarded warm-up run: far from the measured run's keys (from 0).</summary>
    protected const long WarmupBase = 1_000_000;

    public abstract string Id { get; }

    public abstract long DefaultCount { get; }

    public bool HasRaw => false;

    /// <summary>True when <c>--db</c> names a database server the servers can share.</summary>
    public static bool CanRunOn(string db)
    {
        try
        {
            return ScratchDatabase.Supports(db);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string NeedsDatabaseServer =>
        "G1-G3 run two server processes on one database through a GCM, which needs a database server: " +
        "--db \"postgres:CONNECTION\" or --db \"mysql:CONNECTION\" (RocksDB and memory belong to one process). " +
        "See README.md, section \"Distributed benchmarks\": for a throwaway PostgreSQL run scripts/postgres.sh start, then give " +
        "--db \"postgres:Host=127.0.0.1;Port=15432;Username=zeze;Password=zeze;Database=zeze\" (scripts/postgres.sh env prints it).";

    public async Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (!CanRunOn(options.Db))
        {
            Console.Error.WriteLine($"{Id}: {NeedsDatabaseServer}");
            return new WorkloadResult(0, 0, false, Note: "needs a database server");
        }
        return await RunOnServerAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run itself, with a database server in <c>--db</c>.</summary>
    protected abstract Task<WorkloadResult> RunOnServerAsync(BenchOptions options, CancellationToken cancellationToken);

    /// <summary>Server <paramref name="index"/>'s share of <paramref name="count"/> (server 0 takes the odd one).</summary>
    protected static long ShareOf(long count, int index) => index == 0 ? count - count / 2 : count / 2;
}
