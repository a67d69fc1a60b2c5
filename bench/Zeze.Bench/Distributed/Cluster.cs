using System.Diagnostics;
using System.Globalization;
using Zeze.Services.GlobalCache;

namespace Zeze.Bench.Distributed;

/// <summary>The combined figures of one RUN on both servers.</summary>
/// <param name="Seconds">The runner's clock from sending RUN to both until the last DONE: the span both servers ran in.</param>
/// <param name="Sums">Every numeric field of the DONE lines summed over both servers (ops, failed, redo, acquires, ...).</param>
internal sealed record ClusterRun(long Ops, double Seconds, LatencyRecorder Latency, Dictionary<string, long> Sums, Dictionary<string, string>[] PerServer)
{
    public long Sum(string key) => Sums.TryGetValue(key, out long v) ? v : 0;

    /// <summary>
    /// For the RESULT note: each server's own seconds (when they differ much, the servers mostly ran one after the
    /// other) and the framework's counters summed over both.
    /// </summary>
    public string CounterNote =>
        "server_seconds=" + string.Join('/', PerServer.Select(f => f.Double("seconds").ToString("F2", CultureInfo.InvariantCulture))) +
        $",redo={Sum("redo")},acquires={Sum("acquires")},reduces={Sum("reduces")},global_redo={Sum("global_redo")}";
}

/// <summary>
/// One GCM embedded in the runner and two server processes (<see cref="GServer"/>) sharing a scratch schema or
/// database on the database server of <c>--db</c>. Dispose stops the servers, the GCM, and drops the scratch space.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const int ServerCount = 2;

    /// <summary>
    /// ZEZE_TRACE=1 (a debugging aid, see docs/global-cache.md): the GCM and the servers record the global cache's
    /// events, and write them (with what a workload needs to explain a failed check) to ZEZE_TRACE_DIR (default: the
    /// temporary directory).
    /// </summary>
    public static readonly string? TraceDirectory = Environment.GetEnvironmentVariable("ZEZE_TRACE") == "1"
        ? Environment.GetEnvironmentVariable("ZEZE_TRACE_DIR") is { Length: > 0 } dir ? dir : Path.GetTempPath()
        : null;

    /// <summary>How long starting a server (a new .NET process joining the GCM) may take.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The bound on INIT and CHECK, which touch a few thousand records.</summary>
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The bound on one RUN: generous, a stuck run fails instead of hanging the runner.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private readonly ScratchDatabase _scratch;
    private readonly GlobalCacheManagerServer _gcm;
    private readonly StderrLog _gcmLog;
    private readonly ServerProcess[] _servers;

    private Cluster(ScratchDatabase scratch, GlobalCacheManagerServer gcm, StderrLog gcmLog, ServerProcess[] servers)
    {
        _scratch = scratch;
        _gcm = gcm;
        _gcmLog = gcmLog;
        _servers = servers;
    }

    public static async Task<Cluster> StartAsync(string workload, BenchOptions options)
    {
        var scratch = await ScratchDatabase.CreateAsync(options.Db).ConfigureAwait(false);
        if (TraceDirectory != null) Zeze.Diagnostics.CoherenceTrace.Start(); // the GCM's answers (the servers trace their side)
        var gcmLog = new StderrLog("gcm");
        GlobalCacheManagerServer? gcm = null;
        var servers = new List<ServerProcess>();
        try
        {
            // Production timing; no start-up quarantine: no server ever ran against this fresh GCM.
            gcm = new GlobalCacheManagerServer(new GlobalCacheManagerOptions { Host = "127.0.0.1", Port = 0, QuarantineMs = 0 }, gcmLog);
            await gcm.StartAsync().ConfigureAwait(false);
            string address = "127.0.0.1:" + gcm.Port.ToString(CultureInfo.InvariantCulture);
            for (int i = 0; i < ServerCount; i++)
            {
                var args = new List<string> { "--workload", workload, "--index", I(i), "--gcm", address, "--db", scratch.Spec };
                if (options.Concurrency is int c) args.AddRange(["--concurrency", I(c)]);
                servers.Add(ServerProcess.Start($"{workload} server {i + 1}", args));
            }
            await Task.WhenAll(servers.Select(s => s.ExpectAsync("READY", StartTimeout))).ConfigureAwait(false);
            return new Cluster(scratch, gcm, gcmLog, [.. servers]);
        }
        catch
        {
            foreach (var s in servers) await s.DisposeAsync().ConfigureAwait(false);
            if (gcm != null) await gcm.DisposeAsync().ConfigureAwait(false);
            await scratch.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Asks one server; returns the answer's fields.</summary>
    public async Task<Dictionary<string, string>> AskAsync(int server, string command, string answer, TimeSpan timeout) =>
        Fields.Parse(await _servers[server].AskAsync(command, answer, timeout).ConfigureAwait(false));

    /// <summary>
    /// Sends RUN to both servers back to back (the start signal: neither begins before its line arrives), waits for
    /// both answers, and combines them. <paramref name="command"/> gives each server's line.
    /// </summary>
    public async Task<ClusterRun> RunBothAsync(Func<int, string> command)
    {
        var sw = Stopwatch.StartNew();
        foreach (var (s, i) in _servers.Select((s, i) => (s, i))) await s.SendAsync(command(i)).ConfigureAwait(false);
        var answers = await Task.WhenAll(_servers.Select(s => s.ExpectAsync("DONE", RunTimeout))).ConfigureAwait(false);
        double seconds = sw.Elapsed.TotalSeconds;
        // The framework's counters once both are done (each server's deltas since its RUN started).
        var stats = await Task.WhenAll(_servers.Select(s => s.AskAsync("STATS", "STATS", ShortTimeout))).ConfigureAwait(false);
        answers = [.. answers.Zip(stats, (done, counters) => done + counters["STATS".Length..])];
        var latency = new LatencyRecorder();
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        var perServer = answers.Select(Fields.Parse).ToArray();
        foreach (var fields in perServer)
        {
            latency.Import(fields["lat"]);
            foreach (var (key, value) in fields)
            {
                if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
                    sums[key] = sums.GetValueOrDefault(key) + n;
            }
        }
        return new ClusterRun(sums.GetValueOrDefault("ops"), seconds, latency, sums, perServer);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_servers.Select(s => s.StopAsync(TimeSpan.FromSeconds(60)))).ConfigureAwait(false);
        foreach (var s in _servers) await s.DisposeAsync().ConfigureAwait(false);
        await _gcm.DisposeAsync().ConfigureAwait(false);
        if (TraceDirectory != null) Zeze.Diagnostics.CoherenceTrace.Dump(Path.Combine(TraceDirectory, "trace_gcm.txt"));
        _gcmLog.Dispose();
        await _scratch.DisposeAsync().ConfigureAwait(false);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
