using ScaleOut.Shared;
using Zeze.Services.GlobalCache;
using Zeze.Storage;
using Zeze.Storage.Memory;
using Zeze.Storage.Postgres;
using Zeze.Transaction;

namespace Zeze.ScaleOut.Tests;

/// <summary>
/// Several app servers in this process sharing one database object, kept coherent by a real GCM on loopback (embedded
/// here, or any address, e.g. a <see cref="GcmProcess"/>), with the test timing profile.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>The shared database object (null when the servers open <see cref="DatabaseSpec"/> each).</summary>
    public readonly MemoryDatabase? Db;

    /// <summary>A database server the servers each connect to ("postgres:..."), instead of the shared object.</summary>
    public string? DatabaseSpec { get; }

    public readonly List<Server> Servers = [];
    private readonly string _store = "scale-out-" + Guid.NewGuid().ToString("N");

    /// <summary>The embedded GCM (null when the cluster uses an address given to the constructor).</summary>
    public GlobalCacheManagerServer? Gcm { get; }

    /// <summary>Where the servers log (none by default).</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>What the servers are configured with (Zeze:GlobalCacheManagers).</summary>
    public string Managers { get; }

    public sealed record Server(Application App, ModuleShared Shared)
    {
        public int Id => App.Options.ServerId;

        /// <summary>Runs one procedure on this server; returns its result code.</summary>
        public Task<long> RunAsync(Func<ValueTask<long>> procedure, string name = "test") => App.RunAsync(procedure, name).AsTask();

        /// <summary>Adds <paramref name="delta"/> to tValue[key] (created at 0).</summary>
        public Task<long> AddAsync(long key, long delta) =>
            RunAsync(async () => { (await Shared.tValue.GetOrAddAsync(key)).Value += delta; return 0; }, "add");

        /// <summary>Reads tValue[key] in a procedure (-1 when absent); fails the test when the procedure fails.</summary>
        public async Task<long> ReadAsync(long key)
        {
            long v = -1;
            long rc = await RunAsync(async () => { v = (await Shared.tValue.GetAsync(key))?.Value ?? -1; return 0; }, "read");
            Assert.True(rc == 0, $"server {Id}: reading {key} failed with {ResultCode.NameOf(rc) ?? rc.ToString()}");
            return v;
        }

        /// <summary>The cache state of tValue[key] here (RecordState.Invalid when not cached).</summary>
        public int StateOf(long key) => Shared.tValue.PeekCached(key)?.State ?? RecordState.Invalid;
    }

    private LocalCluster(GlobalCacheManagerServer? gcm, string managers, string? databaseSpec = null)
    {
        Gcm = gcm;
        Managers = managers;
        DatabaseSpec = databaseSpec;
        if (databaseSpec == null) Db = MemoryDatabase.Open(new DatabaseOptions { Kind = DatabaseKind.Memory, ConnectionString = _store });
    }

    /// <summary>
    /// A cluster with an embedded GCM (test profile, no quarantine); its servers share one database object, or connect
    /// each to <paramref name="databaseSpec"/>.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(string? databaseSpec = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var options = new GlobalCacheManagerOptions { Host = "127.0.0.1", Port = 0, QuarantineMs = 0 }.UseTiming(AchillesHeelTiming.TestProfile);
        var gcm = new GlobalCacheManagerServer(options, loggerFactory);
        await gcm.StartAsync();
        return new LocalCluster(gcm, "127.0.0.1:" + gcm.Port, databaseSpec) { LoggerFactory = loggerFactory };
    }

    /// <summary>
    /// A cluster using the GCM(s) at <paramref name="managers"/>; its servers share one database object, or connect each
    /// to <paramref name="databaseSpec"/> (a database server that child server processes share too).
    /// </summary>
    public static LocalCluster Using(string managers, string? databaseSpec = null) => new(null, managers, databaseSpec);

    public async Task<Server> AddServerAsync(int serverId, Action<ZezeOptions>? configure = null)
    {
        var options = new ZezeOptions
        {
            Name = "server-" + serverId,
            ServerId = serverId,
            GlobalCacheManagers = Managers,
            CheckpointPeriod = TimeSpan.FromMilliseconds(200),
            ClearInUseOnStart = true,
        };
        if (DatabaseSpec != null) options.Databases[""] = DatabaseOptions.Parse(DatabaseSpec);
        configure?.Invoke(options);
        var app = new Application(options, LoggerFactory);
        if (Db != null) app.AddDatabase(Db, owned: false);
        else app.DatabaseFactory.AddPostgres();
        var server = new Server(app, new ModuleShared(app));
        await app.StartAsync();
        lock (Servers) Servers.Add(server);
        return server;
    }

    /// <summary>
    /// The coherence invariant (C1) for tValue[key] over every server of this process: at most one holds it in
    /// Modify, and then nobody else holds it in Share. The states are read twice in a row and a violation counts only
    /// when both readings agree: a single pass is not atomic (the sampling thread may be preempted between two servers
    /// while the record moves from one to the other), two identical passes around such a move are all but impossible.
    /// </summary>
    public void AssertCoherent(long key)
    {
        Server[] servers;
        lock (Servers) servers = [.. Servers];
        var first = new int[servers.Length];
        var second = new int[servers.Length];
        Read(servers, key, first);
        if (!Violates(first)) return;
        Read(servers, key, second);
        if (!first.AsSpan().SequenceEqual(second) || !Violates(second)) return;
        Assert.Fail($"key {key}: servers in Modify/Share: {string.Join(", ", servers.Select((s, i) => $"{s.Id}={second[i]}"))}");
    }

    private static void Read(Server[] servers, long key, Span<int> states)
    {
        for (int i = 0; i < servers.Length; i++)
            states[i] = servers[i].App.IsRunning ? servers[i].StateOf(key) : RecordState.Invalid;
    }

    private static bool Violates(ReadOnlySpan<int> states)
    {
        int modify = 0, share = 0;
        foreach (int s in states)
        {
            if (s == RecordState.Modify) modify++;
            else if (s == RecordState.Share) share++;
        }
        return modify > 1 || (modify == 1 && share > 0);
    }

    /// <summary>Checks <see cref="AssertCoherent"/> over <paramref name="keys"/> until <paramref name="stop"/> is cancelled; returns the sample count.</summary>
    public Task<long> SampleCoherenceAsync(IReadOnlyList<long> keys, CancellationToken stop) => Task.Run(async () =>
    {
        long samples = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (long k in keys) AssertCoherent(k);
            samples++;
            await Task.Delay(1); // sample, do not starve the servers
        }
        return samples;
    });

    public async ValueTask DisposeAsync()
    {
        Server[] servers;
        lock (Servers) servers = [.. Servers];
        foreach (var s in servers) await s.App.DisposeAsync();
        if (Gcm != null) await Gcm.DisposeAsync();
        if (Db != null)
        {
            await Db.DisposeAsync();
            MemoryDatabase.DropStore(_store);
        }
    }
}
