using Microsoft.Extensions.Options;

namespace Zeze.Storage;

/// <summary>
/// How to open one database. Bound from configuration (a section per database) or built from the runner's
/// <c>--db</c> argument with <see cref="Parse"/>; checked by <see cref="Validate"/> before anything is opened.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>The logical name tables refer to ("" is the default database).</summary>
    public string Name { get; set; } = "";

    public DatabaseKind Kind { get; set; } = DatabaseKind.RocksDb;

    /// <summary>
    /// Where the data is: the directory for <see cref="DatabaseKind.RocksDb"/>; the ADO.NET connection string of the
    /// driver for the SQL kinds (MySqlConnector, Npgsql or Microsoft.Data.SqlClient syntax); for
    /// <see cref="DatabaseKind.Memory"/>, the name of the process-global store (empty: the database <see cref="Name"/>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQL: how long to wait for a connection. Null keeps the connection string's (or the driver's) value.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>SQL: how long one statement may run before it is abandoned.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SQL: the most connections kept in the pool. Null keeps the connection string's (or the driver's) value.</summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>
    /// RocksDB: fsync the write-ahead log on every committed batch. On (the default), a committed batch survives a
    /// power loss; off, it survives a killed process (the log is written before the commit returns) but not a crash
    /// of the machine. Checkpoint batches are few and large, so the fsync costs little.
    /// </summary>
    public bool SyncWrites { get; set; } = true;

    /// <summary>RocksDB: delete the directory when the database is disposed (a throwaway database for a benchmark).</summary>
    public bool DeleteOnDispose { get; set; }

    /// <summary>How long <see cref="IAsyncDisposable.DisposeAsync"/> waits for calls in progress before it gives up closing.</summary>
    public TimeSpan DisposeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws an <see cref="OptionsValidationException"/> naming every problem, or returns this.</summary>
    public DatabaseOptions Validate()
    {
        var result = new DatabaseOptionsValidator().Validate(null, this);
        if (result.Failed)
            throw new OptionsValidationException(Name, typeof(DatabaseOptions), result.Failures);
        return this;
    }

    /// <summary>A copy, so that a caller may adjust options without touching the configured ones.</summary>
    public DatabaseOptions Clone() => (DatabaseOptions)MemberwiseClone();

    /// <summary>
    /// Parses the runner's <c>--db</c> value: <c>memory</c>, <c>memory:STORE</c>, <c>rocksdb</c> (a fresh temporary
    /// directory, deleted on dispose), <c>rocksdb:PATH</c>, <c>mysql:CONN</c>, <c>postgres:CONN</c>, <c>sqlserver:CONN</c>.
    /// </summary>
    public static DatabaseOptions Parse(string db, string name = "") => DatabaseSpec.Parse(db, name);
}
