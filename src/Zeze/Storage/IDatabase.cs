namespace Zeze.Storage;

/// <summary>
/// A backend database: named byte key/value tables with atomic batches across the tables of this
/// database. The transaction core caches records and writes them back through <see cref="IKvBatch"/>;
/// nothing above this interface knows which engine is underneath.
/// </summary>
/// <remarks>
/// Implementations must be safe to call from many tasks at once. Calls may complete synchronously
/// (an embedded engine) or asynchronously (a database server); they must not block a thread-pool
/// thread waiting for the network.
/// </remarks>
public interface IDatabase : IAsyncDisposable
{
    /// <summary>The logical name of the database in the configuration ("" is the default database).</summary>
    string Name { get; }

    /// <summary>A short description of where the data lives, for logs (never contains a password).</summary>
    string Description { get; }

    /// <summary>Opens a table, creating it when missing (<see cref="IKvTable.IsNew"/> tells which).</summary>
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
    ValueTask<byte[]?> FindAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>Every committed row, in key order where the engine has one.</summary>
    IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Writes buffered until <see cref="CommitAsync"/>, which applies all of them atomically: after a crash or a
/// failed commit either every write of the batch is visible or none is. Disposing without commit discards them.
/// </summary>
public interface IKvBatch : IAsyncDisposable
{
    /// <summary>Number of writes buffered.</summary>
    int Count { get; }

    /// <summary>Inserts or replaces a row.</summary>
    void Put(IKvTable table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Deletes a row if it exists.</summary>
    void Delete(IKvTable table, ReadOnlySpan<byte> key);

    /// <summary>Applies all buffered writes atomically. A batch can be committed once.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
