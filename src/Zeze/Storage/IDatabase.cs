namespace Zeze.Storage;

/// <summary>
/// A backend database: named byte key/value tables with atomic batches across the tables of this
/// database. The transaction core caches records and writes them back through <see cref="IKvBatch"/>;
/// nothing above this interface knows which engine is underneath.
/// </summary>
/// <remarks>
/// Implementations must be safe to call from many tasks at once. Calls may complete synchronously
/// (an embedded engine) or asynchronously (a database server); they must not block a thread-pool
/// thread waiting for the network. Failures of the engine surface as <see cref="DatabaseException"/>,
/// whose <see cref="DatabaseException.Kind"/> tells a transient failure (retry later) from a refusal.
/// <para>
/// <see cref="IAsyncDisposable.DisposeAsync"/> waits for the calls in progress to finish, then closes the
/// engine; committed data stays where it is, so opening the same database again sees it. Disposing twice
/// does nothing; any other call after disposal throws <see cref="ObjectDisposedException"/>.
/// </para>
/// </remarks>
public interface IDatabase : IAsyncDisposable
{
    /// <summary>The logical name of the database in the configuration ("" is the default database).</summary>
    string Name { get; }

    /// <summary>A short description of where the data lives, for logs (never contains a password).</summary>
    string Description { get; }

    /// <summary>
    /// The longest key, in bytes, that a table of this database accepts (3070 for MySQL/MariaDB and the
    /// embedded backends, less for PostgreSQL and SQL Server, whose indexes are narrower). Longer keys are
    /// refused by <see cref="IKvBatch.Put"/> with an <see cref="ArgumentException"/>, before any I/O.
    /// </summary>
    int MaxKeyLength { get; }

    /// <summary>Opens a table, creating it when missing (<see cref="IKvTable.IsNew"/> tells which).</summary>
    /// <remarks>Table names are identifiers: an ASCII letter or '_' then letters, digits or '_'; names starting
    /// with "_zeze" are reserved. Anything else is refused with an <see cref="ArgumentException"/>.</remarks>
    ValueTask<IKvTable> OpenTableAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Starts a batch of writes that becomes visible all at once on <see cref="IKvBatch.CommitAsync"/>.</summary>
    IKvBatch BeginBatch();

    /// <summary>Reads a versioned value (the stored schema, in-use markers) outside any table.</summary>
    ValueTask<VersionedValue?> GetDataWithVersionAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-set of a versioned value. When the key is absent and <paramref name="expectedVersion"/> is 0,
    /// inserts it with version 1; when present with version <paramref name="expectedVersion"/>, replaces it and
    /// increments the version. Returns the new version, or null when the stored version differs.
    /// </summary>
    ValueTask<long?> TrySaveDataWithSameVersionAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks <paramref name="serverId"/> as using this database, so that a second process with the same server id
    /// cannot start on it. With an empty <paramref name="globalCacheName"/> (no global cache) the database must have
    /// no other user at all; otherwise every user must name the same global cache. A refusal throws a
    /// <see cref="DatabaseException"/> of kind <see cref="DatabaseErrorKind.InUse"/> saying who holds it.
    /// </summary>
    /// <remarks>The mark survives a crash (except on RocksDB, whose directory lock already keeps a second
    /// process out): after a crash, call <see cref="ClearInUseAsync"/> before starting again.</remarks>
    ValueTask SetInUseAsync(int serverId, string globalCacheName, CancellationToken cancellationToken = default);

    /// <summary>Removes the mark of <paramref name="serverId"/>; returns false when there was none.</summary>
    ValueTask<bool> ClearInUseAsync(int serverId, CancellationToken cancellationToken = default);
}

/// <summary>A value stored with a version for compare-and-set.</summary>
public sealed record VersionedValue(byte[] Data, long Version);

/// <summary>One byte key/value table of a database.</summary>
public interface IKvTable
{
    string Name { get; }
    IDatabase Database { get; }

    /// <summary>True when <see cref="IDatabase.OpenTableAsync"/> created the table.</summary>
    bool IsNew { get; }

    /// <summary>The committed value of a key, or null. Reads see every committed batch.</summary>
    /// <remarks>The array returned belongs to the caller: the backend keeps no reference to it.</remarks>
    ValueTask<byte[]?> FindAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every committed row, in unsigned lexicographic key order (every backend here has that order), from a
    /// consistent view taken when the walk starts.
    /// </summary>
    IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Writes buffered until <see cref="CommitAsync"/>, which applies all of them atomically: after a crash or a
/// failed commit either every write of the batch is visible or none is. Disposing without commit discards them.
/// </summary>
/// <remarks>
/// A batch takes only tables of the database that began it (one batch cannot span databases). Writes to the
/// same key apply in order, so the last one wins. A batch is not thread-safe: one task fills and commits it.
/// A commit that failed with a transient error may, in rare cases (the connection was lost during the SQL
/// COMMIT), have been applied; every write is idempotent, so writing the same records again is safe.
/// </remarks>
public interface IKvBatch : IAsyncDisposable
{
    /// <summary>Number of writes buffered.</summary>
    int Count { get; }

    /// <summary>Inserts or replaces a row. The spans are copied.</summary>
    void Put(IKvTable table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Deletes a row if it exists.</summary>
    void Delete(IKvTable table, ReadOnlySpan<byte> key);

    /// <summary>Applies all buffered writes atomically. A batch can be committed once, successful or not.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
