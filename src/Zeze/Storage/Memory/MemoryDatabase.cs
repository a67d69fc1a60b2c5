using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zeze.Storage.Memory;

/// <summary>
/// A database held in process memory under a store name (<see cref="DatabaseOptions.ConnectionString"/>, or the
/// database name). Closing it keeps the data; opening the same store again, in the same process, sees it. Nothing
/// survives the process.
/// </summary>
public sealed class MemoryDatabase : KvDatabase
{
    /// <summary>Same as MySQL's, so that an application tested on memory keeps keys a server accepts.</summary>
    public const int KeyLengthLimit = 3070;

    private MemoryDatabase(DatabaseOptions options, string storeName, ILogger logger)
        : base(options, DatabaseKind.Memory, $"memory store '{storeName}'", logger)
    {
        StoreName = storeName;
        Store = MemoryStore.Get(storeName);
    }

    public string StoreName { get; }

    public override int MaxKeyLength => KeyLengthLimit;

    public override int MaxTableNameLength => 200;

    internal MemoryStore Store { get; }

    public static MemoryDatabase Open(DatabaseOptions options, ILoggerFactory? loggerFactory = null)
    {
        options.Validate();
        string storeName = string.IsNullOrEmpty(options.ConnectionString) ? options.Name : options.ConnectionString;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MemoryDatabase>();
        var database = new MemoryDatabase(options, storeName, logger);
        StorageLog.Opened(logger, database.Name, database.Description);
        return database;
    }

    /// <summary>Forgets a store's data (tests use it to start clean); true when it existed.</summary>
    public static bool DropStore(string storeName) => MemoryStore.Drop(storeName);

    protected override ValueTask<KvTable> OpenTableCoreAsync(string name, CancellationToken cancellationToken)
    {
        lock (Store.Gate)
        {
            bool isNew = !Store.Tables.TryGetValue(name, out var rows);
            if (rows is null)
            {
                rows = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
                Store.Tables.Add(name, rows);
            }
            return ValueTask.FromResult<KvTable>(new MemoryTable(this, name, isNew, rows));
        }
    }

    protected override ValueTask CommitCoreAsync(IReadOnlyList<KvWrite> writes, int failAtWrite, CancellationToken cancellationToken)
    {
        lock (Store.Gate)
        {
            // Applied in place with an undo list: a failure part-way puts back every row already changed.
            var undo = new List<(Dictionary<byte[], byte[]> Rows, byte[] Key, byte[]? Old)>(writes.Count);
            try
            {
                for (int i = 0; i < writes.Count; i++)
                {
                    ThrowIfFaultDue(i, failAtWrite);
                    var write = writes[i];
                    var rows = ((MemoryTable)write.Table).Rows;
                    rows.TryGetValue(write.Key, out var old);
                    undo.Add((rows, write.Key, old));
                    if (write.Value is null)
                        rows.Remove(write.Key);
                    else
                        rows[write.Key] = write.Value;
                }
            }
            catch
            {
                for (int i = undo.Count - 1; i >= 0; i--)
                {
                    var (rows, key, old) = undo[i];
                    if (old is null)
                        rows.Remove(key);
                    else
                        rows[key] = old;
                }
                throw;
            }
        }
        return ValueTask.CompletedTask;
    }

    protected override ValueTask<VersionedValue?> GetDataCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        lock (Store.Gate)
        {
            var lookup = Store.Data.GetAlternateLookup<ReadOnlySpan<byte>>();
            return ValueTask.FromResult(lookup.TryGetValue(key.Span, out var stored)
                ? new VersionedValue(stored.Data.AsSpan().ToArray(), stored.Version)
                : null);
        }
    }

    protected override ValueTask<long?> TrySaveDataCoreAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (Store.Gate)
        {
            var lookup = Store.Data.GetAlternateLookup<ReadOnlySpan<byte>>();
            long current = lookup.TryGetValue(key.Span, out var stored) ? stored.Version : 0;
            if (current != expectedVersion)
                return ValueTask.FromResult<long?>(null);
            long next = expectedVersion + 1;
            lookup[key.Span] = new VersionedValue(data.ToArray(), next);
            return ValueTask.FromResult<long?>(next);
        }
    }

    protected override ValueTask<string?> SetInUseCoreAsync(int serverId, string globalCacheName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Store.InUse.TrySet(serverId, globalCacheName));

    protected override ValueTask<bool> ClearInUseCoreAsync(int serverId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Store.InUse.Clear(serverId));

    protected override ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}
