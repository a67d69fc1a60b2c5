using Zeze.Storage;
using Zeze.Transaction;

namespace Zeze;

/// <summary>
/// Settings of an <see cref="Application"/>, bound from configuration (section <c>Zeze</c> by default:
/// appsettings.json, environment variables <c>Zeze__ServerId</c>, command line <c>--Zeze:ServerId</c>).
/// </summary>
public sealed class ZezeOptions
{
    public const string SectionName = "Zeze";

    /// <summary>Name used in logs and metrics.</summary>
    public string Name { get; set; } = "zeze";

    /// <summary>Unique among the servers sharing one database (and one global cache manager).</summary>
    public int ServerId { get; set; }

    /// <summary>How often the checkpoint writes committed records to the database. Zero disables the periodic checkpoint.</summary>
    public TimeSpan CheckpointPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a procedure that wrote a <c>CheckpointWhenCommit</c> table waits for the database before returning <see cref="ResultCode.NotDurable"/>.</summary>
    public TimeSpan DurableCommitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts (first run plus redos) before a procedure gives up with <see cref="ResultCode.TooManyTry"/>.</summary>
    public int MaxAttempts { get; set; } = 256;

    /// <summary>
    /// The most procedures started with <see cref="Application.ExecuteAsync(Func{ValueTask{long}}, string, TransactionLevel)"/>
    /// that run at once (the others wait in order). Within it the scheduler adapts to contention. 0 = 4 per processor.
    /// </summary>
    public int MaxConcurrentProcedures { get; set; }

    /// <summary>
    /// With a global cache: how long a reduce waits for a record's lock before answering "busy" (the requester then
    /// retries). Local commits hold a lock for microseconds; a longer hold means the holder waits for the GCM.
    /// </summary>
    public TimeSpan ReduceLockWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long <see cref="Application.StopAsync"/> waits for running procedures before the final checkpoint.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Databases by name ("" is the default database). With none configured (and none added in code), the
    /// application uses an embedded RocksDB in <see cref="DefaultRocksDbPath"/>.
    /// </summary>
    public Dictionary<string, DatabaseOptions> Databases { get; set; } = [];

    /// <summary>
    /// Clears this server id's in-use mark before marking the databases at start. Set it once after a crash left the
    /// mark behind (a clean stop clears it); never while another process with the same server id may be running.
    /// </summary>
    public bool ClearInUseOnStart { get; set; }

    /// <summary>
    /// The global cache manager(s) when several servers share the database: "host:port;host:port", in the same order on
    /// every server (the order decides which instance owns which key). Empty: this server is alone on its database.
    /// </summary>
    public string GlobalCacheManagers { get; set; } = "";

    /// <summary>
    /// The name stored with this server's in-use mark in the database: servers sharing a database must name the same
    /// global cache. Empty: <see cref="GlobalCacheManagers"/> itself; set it when servers reach the same managers
    /// through different addresses (a DNS name here, an IP there, a proxy).
    /// </summary>
    public string GlobalCacheName { get; set; } = "";

    /// <summary>A server being debugged: exempt from the global cache's fault detection on both sides.</summary>
    public bool GlobalCacheDebugMode { get; set; }

    /// <summary>Directory of the embedded RocksDB used when no database is configured.</summary>
    public string DefaultRocksDbPath { get; set; } = "zeze-data";

    /// <summary>Defaults for every table.</summary>
    public TableOptions DefaultTable { get; set; } = new();

    /// <summary>Per-table settings by table name (<c>solution_module_table</c>), overriding <see cref="DefaultTable"/>.</summary>
    public Dictionary<string, TableOptions> Tables { get; set; } = [];

    /// <summary>Checks the settings; returns the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (CheckpointPeriod < TimeSpan.Zero) errors.Add($"Zeze:CheckpointPeriod must not be negative (got {CheckpointPeriod})");
        if (DurableCommitTimeout <= TimeSpan.Zero) errors.Add($"Zeze:DurableCommitTimeout must be positive (got {DurableCommitTimeout})");
        if (MaxConcurrentProcedures < 0) errors.Add($"Zeze:MaxConcurrentProcedures must not be negative (got {MaxConcurrentProcedures})");
        if (MaxAttempts < 1) errors.Add($"Zeze:MaxAttempts must be at least 1 (got {MaxAttempts})");
        if (StopTimeout < TimeSpan.Zero) errors.Add($"Zeze:StopTimeout must not be negative (got {StopTimeout})");
        if (ServerId < 0) errors.Add($"Zeze:ServerId must not be negative (got {ServerId})");
        foreach (var (name, db) in Databases)
        {
            try
            {
                db.Name = name;
                db.Validate();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                errors.Add($"Zeze:Databases:{(name.Length == 0 ? "(default)" : name)}: {e.Message}");
            }
        }
        if (GlobalCacheManagers.Length > 0)
        {
            try
            {
                if (Services.GlobalCache.GlobalCacheAgentOptions.ParseManagers(GlobalCacheManagers).Count == 0)
                    errors.Add("Zeze:GlobalCacheManagers lists no manager (expected host:port;host:port)");
            }
            catch (FormatException e)
            {
                errors.Add("Zeze:GlobalCacheManagers: " + e.Message);
            }
            foreach (var (name, db) in Databases)
            {
                if (db.Kind is DatabaseKind.RocksDb or DatabaseKind.Memory)
                    errors.Add($"Zeze:Databases:{(name.Length == 0 ? "(default)" : name)}: a global cache shares the database between server processes; {db.Kind} belongs to one process (use MySql, Postgres or SqlServer)");
            }
        }
        ValidateTable("Zeze:DefaultTable", DefaultTable, errors);
        foreach (var (name, t) in Tables) ValidateTable($"Zeze:Tables:{name}", t, errors);
        return errors;
    }

    private static void ValidateTable(string path, TableOptions t, List<string> errors)
    {
        if (t.CacheCleanPeriod <= TimeSpan.Zero) errors.Add($"{path}:CacheCleanPeriod must be positive (got {t.CacheCleanPeriod})");
    }

    internal TableOptions ForTable(string name) => (Tables.TryGetValue(name, out var t) ? t : DefaultTable).Clone();
}
