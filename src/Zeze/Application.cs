using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zeze.Storage;
using Zeze.Transaction;

namespace Zeze;

/// <summary>
/// A Zeze application: its databases, tables, checkpoint and procedures. Register databases and tables (generated
/// modules register their tables), call <see cref="StartAsync"/>, run procedures with <see cref="RunAsync(Func{ValueTask{long}}, string, TransactionLevel)"/>,
/// and <see cref="StopAsync"/> to drain running procedures and write everything to the database.
/// </summary>
public sealed partial class Application : IProcedureRunner, IAsyncDisposable
{
    private readonly Dictionary<string, (IDatabase Db, bool Owned)> _databases = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Table> _tablesById = [];
    private readonly Dictionary<string, Table> _tablesByName = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly StripedCounter _running = new();
    private readonly IMeterFactory? _meterFactory;
    private TaskCompletionSource? _drained;
    private int _state; // 0 created, 1 starting, 2 running, 3 stopping, 4 stopped
    private Task? _cleaner;

    public Application(ZezeOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null, DatabaseFactory? databaseFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        DatabaseFactory = databaseFactory ?? new DatabaseFactory(LoggerFactory);
        _meterFactory = meterFactory;
        TimeProvider = timeProvider ?? TimeProvider.System;
        Log = new ZezeLog(LoggerFactory.CreateLogger("Zeze.Application"));
        Checkpoint = new Checkpoint(this, LoggerFactory.CreateLogger("Zeze.Checkpoint"));
        Metrics = new ZezeMetrics(options.Name, meterFactory, () => Checkpoint.BacklogRecords, () => _running.Sum);
        Listeners = new ListenerHub(this);
        int workers = options.MaxConcurrentProcedures > 0 ? options.MaxConcurrentProcedures : 4 * Environment.ProcessorCount;
        Scheduler = new ProcedureScheduler(this, workers);
        AutoKeys = new AutoKeys(this);
        AddTable(AutoKeys.Table);
    }

    /// <summary>Auto-key allocation (for <c>autokey="true"</c> tables and your own ids).</summary>
    public AutoKeys AutoKeys { get; }

    public string Name => Options.Name;

    /// <summary>Opens the databases of <see cref="ZezeOptions.Databases"/> (register SQL providers on it).</summary>
    public DatabaseFactory DatabaseFactory { get; }
    public ZezeOptions Options { get; }
    public ILoggerFactory LoggerFactory { get; }
    public TimeProvider TimeProvider { get; }
    public ZezeMetrics Metrics { get; }
    public Checkpoint Checkpoint { get; }
    internal ZezeLog Log { get; }

    /// <summary>Runs the procedures of <see cref="ExecuteAsync(Func{ValueTask{long}}, string, TransactionLevel)"/>.</summary>
    internal ProcedureScheduler Scheduler { get; }
    internal ListenerHub Listeners { get; }

    /// <summary>True between a successful <see cref="StartAsync"/> and the start of <see cref="StopAsync"/>.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == 2;

    internal bool AcceptsProcedures => Volatile.Read(ref _state) == 2;

    /// <summary>Cancelled when the application starts stopping.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Set while a simulated crash abandons unwritten batches (tests).</summary>
    internal bool AbandonOnStop { get; private set; }

    public IReadOnlyCollection<Table> Tables => _tablesById.Values;

    // ---- registration ----

    /// <summary>
    /// Registers a database under its <see cref="IDatabase.Name"/> ("" is the default). With <paramref name="owned"/>,
    /// the application disposes it when it stops.
    /// </summary>
    public void AddDatabase(IDatabase database, bool owned = true)
    {
        ArgumentNullException.ThrowIfNull(database);
        ThrowIfStarted();
        if (!_databases.TryAdd(database.Name, (database, owned)))
            throw new InvalidOperationException($"a database named '{database.Name}' is already registered");
    }

    public IDatabase GetDatabase(string name)
    {
        if (_databases.TryGetValue(name, out var d)) return d.Db;
        throw new InvalidOperationException(_databases.Count == 0
            ? $"no database is registered: add one (Application.AddDatabase, or configuration Zeze:Databases) before starting"
            : $"database '{name}' is not registered (registered: {string.Join(", ", _databases.Keys.Select(k => k.Length == 0 ? "\"\" (default)" : k))})");
    }

    /// <summary>Registers a table (generated module code calls this). Table ids and names must be unique.</summary>
    public T AddTable<T>(T table) where T : Table
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfStarted();
        if (table.Application != null)
            throw new InvalidOperationException($"table {table.Name} is already registered with application '{table.Application.Name}'");
        if (_tablesById.TryGetValue(table.Id, out var other))
            throw new InvalidOperationException($"table id {table.Id} of {table.Name} is already used by {other.Name}");
        if (_tablesByName.ContainsKey(table.Name))
            throw new InvalidOperationException($"a table named {table.Name} is already registered");
        table.Application = this;
        table.Options = Options.ForTable(table.Name);
        _tablesById.Add(table.Id, table);
        _tablesByName.Add(table.Name, table);
        return table;
    }

    public Table? GetTable(string name) => _tablesByName.TryGetValue(name, out var t) ? t : null;

    private void ThrowIfStarted()
    {
        if (Volatile.Read(ref _state) != 0)
            throw new InvalidOperationException("databases and tables must be registered before the application starts");
    }

    // ---- lifecycle ----

    /// <summary>Validates the options, opens the tables, checks the stored schema and starts the checkpoint.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            if (IsRunning) return;
            throw new InvalidOperationException($"application '{Name}' cannot start: it is {StateName}");
        }
        try
        {
            var errors = Options.Validate();
            if (errors.Count > 0)
                throw new InvalidOperationException($"invalid configuration of application '{Name}':\n  " + string.Join("\n  ", errors));
            if (GlobalAgent == null && Options.GlobalCacheManagers.Length > 0)
                GlobalCacheName = Options.GlobalCacheName.Length > 0 ? Options.GlobalCacheName : Options.GlobalCacheManagers;
            await OpenDatabasesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var table in _tablesById.Values)
            {
                if (table is AutoKeyTable && _databases.Count == 0) continue; // no database: auto keys live in memory
                if (!table.IsMemory && !_databases.ContainsKey(table.Options.DatabaseName))
                    throw new InvalidOperationException($"table {table.Name} is stored in database '{table.Options.DatabaseName}', which is not registered");
                await table.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            await StartGlobalAgentAsync(cancellationToken).ConfigureAwait(false);
            await CheckSchemasAsync(cancellationToken).ConfigureAwait(false);
            Checkpoint.Start();
            _cleaner = Task.Run(CacheCleanerLoopAsync);
            Volatile.Write(ref _state, 2);
            Log.Started(Name, _tablesById.Count, _databases.Count);
        }
        catch
        {
            await DropOwnedGlobalAgentAsync().ConfigureAwait(false);
            await CloseDatabasesAsync().ConfigureAwait(false);
            Volatile.Write(ref _state, 0);
            throw;
        }
    }

    /// <summary>Opens the configured databases and marks them in use by this server id.</summary>
    private async Task OpenDatabasesAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, options) in Options.Databases)
        {
            if (_databases.ContainsKey(name)) continue;
            var o = options.Clone();
            o.Name = name;
            _databases.Add(name, (await DatabaseFactory.OpenAsync(o, cancellationToken).ConfigureAwait(false), true));
        }
        bool needsStorage = _tablesById.Values.Any(t => !t.IsMemory && t is not AutoKeyTable);
        if (_databases.Count == 0 && needsStorage)
        {
            if (GlobalCacheName.Length > 0)
                throw new InvalidOperationException($"application '{Name}' joins the global cache '{GlobalCacheName}' but configures no database: the servers must share one (Zeze:Databases with MySql, Postgres or SqlServer); the default embedded RocksDB belongs to one process");
            Log.DefaultDatabase(Name, Path.GetFullPath(Options.DefaultRocksDbPath));
            var o = new DatabaseOptions { Name = "", Kind = DatabaseKind.RocksDb, ConnectionString = Options.DefaultRocksDbPath };
            _databases.Add("", (await DatabaseFactory.OpenAsync(o, cancellationToken).ConfigureAwait(false), true));
        }
        foreach (var (db, _) in _databases.Values)
        {
            if (Options.ClearInUseOnStart) await db.ClearInUseAsync(Options.ServerId, cancellationToken).ConfigureAwait(false);
            await db.SetInUseAsync(Options.ServerId, GlobalCacheName, cancellationToken).ConfigureAwait(false);
            _inUse.Add(db);
        }
    }

    private readonly List<IDatabase> _inUse = [];

    /// <summary>Name of the global cache manager this server joins ("" without one).</summary>
    public string GlobalCacheName { get; set; } = "";

    private string StateName => Volatile.Read(ref _state) switch
    {
        0 => "not started", 1 => "starting", 2 => "running", 3 => "stopping", _ => "stopped",
    };

    /// <summary>
    /// Stops accepting procedures, waits for running ones (up to <see cref="ZezeOptions.StopTimeout"/>), writes every
    /// committed change to the database, and closes the databases it owns.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 3, 2) != 2) return;
        await DrainAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_cleaner != null) await _cleaner.ConfigureAwait(false);
        // Everything reaches the database before the global cache manager hands this server's records to others.
        await Checkpoint.StopAsync(cancellationToken).ConfigureAwait(false);
        await StopGlobalAgentAsync(cancellationToken).ConfigureAwait(false);
        await CloseDatabasesAsync().ConfigureAwait(false);
        Volatile.Write(ref _state, 4);
        Log.Stopped(Name);
    }

    /// <summary>
    /// Simulates a crash for tests: stops at once without the final checkpoint, dropping whatever was committed
    /// but not yet written (as a killed process would).
    /// </summary>
    public async Task StopWithoutFlushAsync()
    {
        if (Interlocked.CompareExchange(ref _state, 3, 2) != 2) return;
        AbandonOnStop = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        Checkpoint.Abandon();
        if (_cleaner != null) await _cleaner.ConfigureAwait(false);
        await DrainAsync().ConfigureAwait(false);
        await CloseDatabasesAsync(clearInUse: false).ConfigureAwait(false);
        Volatile.Write(ref _state, 4);
    }

    private async Task DrainAsync()
    {
        if (_running.Sum == 0) return;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (_running.Sum == 0) return;
        try
        {
            await drained.Task.WaitAsync(Options.StopTimeout, TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.StopTimedOut(Name, _running.Sum, Options.StopTimeout);
        }
    }

    private async Task CloseDatabasesAsync(bool clearInUse = true)
    {
        if (clearInUse)
        {
            foreach (var db in _inUse)
            {
                try
                {
                    await db.ClearInUseAsync(Options.ServerId).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    Log.Logger.LogWarning(e, "could not clear the in-use mark of server {ServerId} in {Database}", Options.ServerId, db.Description);
                }
            }
        }
        _inUse.Clear();
        foreach (var (db, owned) in _databases.Values)
        {
            if (owned) await db.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Metrics.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Counts a running procedure; returns the token to pass to <see cref="ExitProcedure"/>.</summary>
    internal int EnterProcedure() => _running.Increment();

    internal void ExitProcedure(int token)
    {
        _running.Decrement(token);
        if (Volatile.Read(ref _state) >= 3 && _running.Sum == 0)
            Volatile.Read(ref _drained)?.TrySetResult();
    }

    /// <summary>Writes every change committed so far to the database and waits until it is confirmed.</summary>
    public Task CheckpointNowAsync(CancellationToken cancellationToken = default) => Checkpoint.CheckpointNowAsync(cancellationToken);

    // ---- cache cleaning ----

    private async Task CacheCleanerLoopAsync()
    {
        var period = Options.DefaultTable.CacheCleanPeriod;
        foreach (var t in _tablesById.Values)
        {
            if (t.Options.CacheCleanPeriod < period) period = t.Options.CacheCleanPeriod;
        }
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, TimeProvider, _stopping.Token).ConfigureAwait(false);
                if (CleanCaches() > 0)
                {
                    // Dirty records cannot be evicted: write them, then try again.
                    await CheckpointNowAsync(_stopping.Token).ConfigureAwait(false);
                    CleanCaches();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.Logger.LogError(e, "cache cleaning failed");
            }
        }
    }

    /// <summary>Evicts clean idle records from tables over capacity. Returns how many records are still over capacity.</summary>
    internal int CleanCaches()
    {
        int over = 0;
        foreach (var t in _tablesById.Values)
        {
            int capacity = t.Options.CacheCapacity;
            if (capacity <= 0 || t.CacheCount <= capacity) continue;
            int evicted = t.CleanCache(capacity);
            if (evicted > 0) Metrics.Evictions.Add(evicted);
            over += Math.Max(0, t.CacheCount - capacity);
        }
        return over;
    }
}
