using Bench.Local;
using Zeze.Storage;
using Zeze.Storage.Memory;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;
using Zeze.Storage.SqlServer;

namespace Zeze.Bench.Local;

/// <summary>
/// A fresh application for one run, on the database of <c>--db</c> (a fresh store, directory, PostgreSQL schema or
/// MySQL database per run).
/// </summary>
internal sealed class FrameworkApp : IAsyncDisposable
{
    public Application App { get; }
    public ModuleLocal Module { get; }
    private readonly string? _memoryStore;
    private readonly ScratchDatabase? _scratch;

    private FrameworkApp(Application app, ModuleLocal module, string? memoryStore, ScratchDatabase? scratch)
    {
        App = app;
        Module = module;
        _memoryStore = memoryStore;
        _scratch = scratch;
    }

    public static async Task<FrameworkApp> StartAsync(BenchOptions options, Action<ZezeOptions>? configure = null)
    {
        var scratch = ScratchDatabase.Supports(options.Db) ? await ScratchDatabase.CreateAsync(options.Db).ConfigureAwait(false) : null;
        var db = DatabaseOptions.Parse(scratch?.Spec ?? options.Db);
        string? store = null;
        if (db.Kind == DatabaseKind.Memory && string.IsNullOrEmpty(db.ConnectionString))
            db.ConnectionString = store = "bench-" + Guid.NewGuid().ToString("N"); // a fresh store per run
        var zeze = new ZezeOptions { Name = "bench" };
        if (options.Concurrency is int c && c > 0) zeze.MaxConcurrentProcedures = c;
        zeze.Databases[""] = db;
        configure?.Invoke(zeze);
        var app = new Application(zeze);
        app.DatabaseFactory.AddMySql().AddPostgres().AddSqlServer();
        var module = new ModuleLocal(app);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            if (scratch != null) await scratch.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new FrameworkApp(app, module, store, scratch);
    }

    /// <summary>Runs one procedure outside the measured part (setup, checks) and fails loudly when it fails.</summary>
    public async Task RunAsync(Func<ValueTask<long>> action)
    {
        long rc = await App.RunAsync(action, "bench-setup").ConfigureAwait(false);
        if (rc != 0) throw new InvalidOperationException($"setup procedure failed with {rc}");
    }

    /// <summary>
    /// W2–W5 on the framework: all procedures handed at once to the framework's scheduler
    /// (<see cref="Application.ExecuteAsync{TState}"/>), which decides the parallelism. Latency runs from the first
    /// attempt's start to the end of the last attempt.
    /// </summary>
    public Task<RunOutcome> RunAllAtOnceAsync(long count, Func<long, ValueTask<long>> op, LatencyRecorder latency, string name) =>
        RunAllAtOnceAsync(App, count, op, latency, name);

    /// <summary>
    /// The same on any application (the server processes of the distributed workloads); <paramref name="onResult"/>
    /// sees each procedure's final result code (an attempt's code is not final: a conflict found at commit redoes it).
    /// </summary>
    public static async Task<RunOutcome> RunAllAtOnceAsync(Application app, long count, Func<long, ValueTask<long>> op, LatencyRecorder latency, string name,
        Action<long>? onResult = null)
    {
        var states = new OpState[count];
        var tasks = new ValueTask<long>[count];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (long i = 0; i < count; i++)
        {
            var s = states[i] = new OpState(i, op);
            tasks[i] = app.ExecuteAsync(static s => s.InvokeAsync(), s, name);
        }
        long nonZero = 0;
        for (long i = 0; i < count; i++)
        {
            long rc = await tasks[i].ConfigureAwait(false);
            if (rc != 0) nonZero++;
            onResult?.Invoke(rc);
        }
        double seconds = sw.Elapsed.TotalSeconds;
        foreach (var s in states) latency.RecordTicks(s.End - s.Start);
        return new RunOutcome(seconds, nonZero);
    }

    private sealed class OpState(long index, Func<long, ValueTask<long>> op)
    {
        public long Start;
        public long End;

        public async ValueTask<long> InvokeAsync()
        {
            if (Start == 0) Start = System.Diagnostics.Stopwatch.GetTimestamp();
            long rc = await op(index).ConfigureAwait(false);
            End = System.Diagnostics.Stopwatch.GetTimestamp();
            return rc;
        }
    }

    /// <summary>Runs the final checkpoint and returns its seconds (only with <c>--flush</c>).</summary>
    public static async Task<double> TimedCheckpoint(Application app, CancellationToken cancellationToken)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await app.CheckpointNowAsync(cancellationToken).ConfigureAwait(false);
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>How many attempts were redone, read from the application's counters.</summary>
    public static string RedoNote(Application app) => $"redo={app.Metrics.RedoCount},workers={app.Scheduler.Limit}/{app.Scheduler.Max}";

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        if (_memoryStore != null) MemoryDatabase.DropStore(_memoryStore);
        if (_scratch != null) await _scratch.DisposeAsync().ConfigureAwait(false);
    }
}
