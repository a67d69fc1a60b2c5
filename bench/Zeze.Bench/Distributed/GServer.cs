using System.Globalization;
using System.Threading.Channels;
using Bench.Local;
using Zeze.Storage;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;

namespace Zeze.Bench.Distributed;

/// <summary>
/// A server process of G1–G3 (<c>Zeze.Bench --role g-server --workload G1 --index 0|1 --gcm HOST:PORT --db SPEC
/// [--concurrency C]</c>): joins the runner's GCM, shares the database with the other server, and answers the runner's
/// commands, one line each:
/// <c>INIT BASE</c> -> INITED; <c>RUN BASE COUNT</c> -> DONE ops= seconds= failed= ... lat=; <c>STATS</c> -> STATS redo=
/// acquires= reduces= global_redo= (since the last RUN started);
/// <c>CHECK BASE</c> -> CHECKED ...; <c>STOP</c> -> STOPPED (then exits 0). "READY" once started; an error answers
/// "FAILED message". The runner going away (stdin closed) ends the process: nobody would read its answers.
/// </summary>
internal static class GServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string workload = Arg(args, "--workload");
        int index = int.Parse(Arg(args, "--index"), CultureInfo.InvariantCulture);
        int? concurrency = Array.IndexOf(args, "--concurrency") >= 0 ? int.Parse(Arg(args, "--concurrency"), CultureInfo.InvariantCulture) : null;
        var part = ServerPart.For(workload);
        var options = new ZezeOptions
        {
            Name = $"{workload}-server-{index + 1}",
            ServerId = index + 1,
            GlobalCacheManagers = Arg(args, "--gcm"),
            ClearInUseOnStart = true, // a fresh schema per run: no mark of a crashed predecessor to respect
        };
        if (concurrency is int c && c > 0) options.MaxConcurrentProcedures = c;
        options.Databases[""] = DatabaseOptions.Parse(Arg(args, "--db"));
        if (Cluster.TraceDirectory != null)
        {
            Zeze.Diagnostics.CoherenceTrace.ValueOf = r => ((BValue)r.Value!).Value;
            Zeze.Diagnostics.CoherenceTrace.Start();
        }
        var log = new StderrLog(options.Name);
        var app = new Application(options, log);
        app.DatabaseFactory.AddPostgres().AddMySql();
        var ctx = new ServerContext(app, new ModuleLocal(app), index, concurrency);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Say("FAILED start: " + e.Message.ReplaceLineEndings(" "));
            Console.Error.WriteLine(e);
            return 3;
        }
        Say("READY");

        var commands = Channel.CreateUnbounded<string>();
        // A thread of its own: a blocking read on a pool thread would take one of the pool's few threads (as many as
        // cores) from the procedures for the whole run.
        new Thread(() =>
        {
            while (Console.ReadLine() is { } line) commands.Writer.TryWrite(line);
            Console.Error.WriteLine($"{options.Name}: stdin closed, exiting");
            Environment.Exit(4);
        }) { IsBackground = true, Name = "runner commands" }.Start();
        await foreach (string line in commands.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length == 0) continue;
            try
            {
                switch (w[0])
                {
                    case "INIT":
                        await part.InitAsync(ctx, L(w[1])).ConfigureAwait(false);
                        Say("INITED");
                        break;
                    case "RUN":
                        Say(await RunPartAsync(part, ctx, L(w[1]), L(w[2])).ConfigureAwait(false));
                        break;
                    case "STATS":
                        Say(Stats(ctx));
                        break;
                    case "CHECK":
                        Say(Fields.Line("CHECKED", await part.CheckAsync(ctx, L(w[1])).ConfigureAwait(false)));
                        break;
                    case "STOP":
                        await app.StopAsync().ConfigureAwait(false);
                        await app.DisposeAsync().ConfigureAwait(false);
                        Say("STOPPED");
                        return 0;
                    default:
                        Say("FAILED unknown command: " + line);
                        break;
                }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                Say($"FAILED {w[0]}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return 0;
    }

    /// <summary>The framework's counters when the last RUN started (STATS answers the deltas since).</summary>
    private static (long Redo, long Acquires, long Reduces, long GlobalRedo) s_baseline;

    private static (long, long, long, long) Counters(Application app)
    {
        var m = app.Metrics;
        return (m.RedoCount, m.GlobalAcquireCount, m.GlobalReduceCount, m.GlobalRedoCount);
    }

    /// <summary>Runs the part; its answer has what the part measured and the latency samples.</summary>
    private static async Task<string> RunPartAsync(ServerPart part, ServerContext ctx, long keyBase, long count)
    {
        s_baseline = Counters(ctx.App);
        var latency = new LatencyRecorder();
        var r = await part.RunAsync(ctx, keyBase, count, latency).ConfigureAwait(false);
        var fields = new List<(string, object)> { ("ops", r.Ops), ("seconds", r.Seconds), ("failed", r.Failed) };
        fields.AddRange(r.Extra);
        fields.Add(("lat", latency.Export()));
        return Fields.Line("DONE", [.. fields]);
    }

    /// <summary>
    /// The framework's counters since the last RUN started, asked once both servers are done: a server that finished
    /// first still handles the other's reduces, which belong to the run too.
    /// </summary>
    private static string Stats(ServerContext ctx)
    {
        var (redo, acquires, reduces, globalRedo) = Counters(ctx.App);
        return Fields.Line("STATS", ("redo", redo - s_baseline.Redo), ("acquires", acquires - s_baseline.Acquires),
            ("reduces", reduces - s_baseline.Reduces), ("global_redo", globalRedo - s_baseline.GlobalRedo));
    }

    private static void Say(string line)
    {
        lock (Console.Out)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    private static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);

    private static string Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"g-server needs {name}");
    }
}
