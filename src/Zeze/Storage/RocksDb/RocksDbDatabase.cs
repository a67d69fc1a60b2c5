using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RocksDbSharp;

namespace Zeze.Storage.RocksDb;

/// <summary>
/// The default backend: embedded RocksDB in one directory, one column family per table, a batch is one
/// <see cref="WriteBatch"/> (atomic across column families, durable per <see cref="RocksDbSettings"/>). RocksDB locks
/// its directory, so one process at a time opens it; that lock is also what keeps a second server out, and in-use
/// marks are only kept in memory.
/// </summary>
public sealed class RocksDbDatabase : KvDatabase
{
    /// <summary>Same as MySQL's, so that data can move to a server backend; RocksDB itself has no such limit.</summary>
    public const int KeyLengthLimit = 3070;

    private readonly RocksDbSharp.RocksDb _engine;
    private readonly ColumnFamilyOptions _familyOptions;
    private readonly ColumnFamilyHandle _dataFamily;
    private readonly WriteOptions _writeOptions;
    private readonly Lock _dataLock = new();
    private readonly InUseMarks _inUse = new();

    private RocksDbDatabase(DatabaseOptions options, string directory, RocksDbSharp.RocksDb engine, ColumnFamilyOptions familyOptions, ILogger logger)
        : base(options, DatabaseKind.RocksDb, $"RocksDB at {directory}", logger)
    {
        Directory = directory;
        _engine = engine;
        _familyOptions = familyOptions;
        _dataFamily = engine.GetColumnFamily(RocksDbSettings.DataFamily);
        _writeOptions = RocksDbSettings.CreateWriteOptions(options.SyncWrites);
    }

    /// <summary>The full path of the database directory.</summary>
    public string Directory { get; }

    public override int MaxKeyLength => KeyLengthLimit;

    public override int MaxTableNameLength => 200;

    internal RocksDbSharp.RocksDb Engine => _engine;

    internal ReadOptions ReadOptions { get; } = new();

    /// <summary>Opens (creating when missing) the directory <see cref="DatabaseOptions.ConnectionString"/> names.</summary>
    public static RocksDbDatabase Open(DatabaseOptions options, ILoggerFactory? loggerFactory = null)
    {
        options.Validate();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RocksDbDatabase>();
        string directory = Path.GetFullPath(options.ConnectionString!);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw OpenError(options, directory, DatabaseErrorKind.Failure, $"cannot create the database directory {directory}: {e.Message}", e);
        }

        var dbOptions = RocksDbSettings.CreateDbOptions();
        var familyOptions = RocksDbSettings.CreateColumnFamilyOptions();
        RocksDbSharp.RocksDb engine;
        try
        {
            // Every existing column family must be named to open the database; RocksDB lists them from the MANIFEST.
            var existing = File.Exists(Path.Combine(directory, "CURRENT"))
                ? RocksDbSharp.RocksDb.ListColumnFamilies(dbOptions, directory).ToHashSet(StringComparer.Ordinal)
                : [];
            var families = new ColumnFamilies(familyOptions);
            foreach (string name in existing)
            {
                if (name != ColumnFamilies.DefaultName)
                    families.Add(name, familyOptions);
            }
            if (!existing.Contains(RocksDbSettings.DataFamily))
                families.Add(RocksDbSettings.DataFamily, familyOptions);
            engine = RocksDbSharp.RocksDb.Open(dbOptions, directory, families);
        }
        catch (RocksDbException e)
        {
            var (kind, problem) = RocksDbErrors.Explain(directory, "opening", e.Message);
            throw OpenError(options, directory, kind, problem, e);
        }

        var database = new RocksDbDatabase(options, directory, engine, familyOptions, logger);
        StorageLog.Opened(logger, database.Name, database.Description);
        return database;
    }

    private static DatabaseException OpenError(DatabaseOptions options, string directory, DatabaseErrorKind kind, string problem, Exception inner) =>
        new(kind, options.Name, null, $"database '{options.Name}' (RocksDB at {directory}): {problem}", inner);

    protected override ValueTask<KvTable> OpenTableCoreAsync(string name, CancellationToken cancellationToken)
    {
        // Called under the base class's open lock: RocksDbSharp's family map is not safe for concurrent creation.
        bool isNew = !_engine.TryGetColumnFamily(name, out var family);
        if (isNew)
            family = _engine.CreateColumnFamily(_familyOptions, name);
        return ValueTask.FromResult<KvTable>(new RocksDbTable(this, name, isNew, family));
    }

    protected override ValueTask CommitCoreAsync(IReadOnlyList<KvWrite> writes, int failAtWrite, CancellationToken cancellationToken)
    {
        using var batch = new WriteBatch();
        for (int i = 0; i < writes.Count; i++)
        {
            ThrowIfFaultDue(i, failAtWrite);
            var write = writes[i];
            var family = ((RocksDbTable)write.Table).Family;
            if (write.Value is null)
                batch.Delete(write.Key, family);
            else
                batch.Put(write.Key, write.Value, family);
        }
        _engine.Write(batch, _writeOptions);
        return ValueTask.CompletedTask;
    }

    // Versioned data is stored as [version: 8 bytes big-endian][data].
    protected override ValueTask<VersionedValue?> GetDataCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        byte[]? stored = _engine.Get(key.Span, _dataFamily, ReadOptions);
        return ValueTask.FromResult(stored is null
            ? null
            : new VersionedValue(stored.AsSpan(sizeof(long)).ToArray(), BinaryPrimitives.ReadInt64BigEndian(stored)));
    }

    protected override ValueTask<long?> TrySaveDataCoreAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken)
    {
        // The directory lock makes this process the only writer, so an in-process lock makes read-compare-write atomic.
        lock (_dataLock)
        {
            byte[]? stored = _engine.Get(key.Span, _dataFamily, ReadOptions);
            long current = stored is null ? 0 : BinaryPrimitives.ReadInt64BigEndian(stored);
            if (current != expectedVersion)
                return ValueTask.FromResult<long?>(null);
            long next = expectedVersion + 1;
            byte[] value = new byte[sizeof(long) + data.Length];
            BinaryPrimitives.WriteInt64BigEndian(value, next);
            data.Span.CopyTo(value.AsSpan(sizeof(long)));
            using var batch = new WriteBatch();
            batch.Put(key.Span, value, _dataFamily);
            _engine.Write(batch, _writeOptions);
            return ValueTask.FromResult<long?>(next);
        }
    }

    protected override ValueTask<string?> SetInUseCoreAsync(int serverId, string globalCacheName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_inUse.TrySet(serverId, globalCacheName));

    protected override ValueTask<bool> ClearInUseCoreAsync(int serverId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_inUse.Clear(serverId));

    protected override ValueTask DisposeCoreAsync()
    {
        _engine.Dispose();
        if (Options.DeleteOnDispose)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                StorageLog.DeleteFailed(Logger, e, Name, Directory);
            }
        }
        return ValueTask.CompletedTask;
    }

    protected override DatabaseException Translate(Exception exception, string? table, string operation)
    {
        if (exception is RocksDbException)
        {
            var (kind, problem) = RocksDbErrors.Explain(Directory, operation, exception.Message);
            return Error(kind, table, problem, exception);
        }
        return base.Translate(exception, table, operation);
    }
}
