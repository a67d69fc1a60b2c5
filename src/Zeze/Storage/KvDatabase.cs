using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Zeze.Storage;

/// <summary>
/// What every backend shares: table name checks and one open per table, the batch, counting calls so that
/// <see cref="DisposeAsync"/> waits for them, turning engine exceptions into <see cref="DatabaseException"/>,
/// logs and metrics. A backend supplies the cores.
/// </summary>
public abstract class KvDatabase : IDatabase
{
    private readonly ConcurrentDictionary<string, KvTable> _tables = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private readonly UsageGate _gate = new();
    private int _failNextBatchAtWrite;
    private int _disposed;

    protected KvDatabase(DatabaseOptions options, DatabaseKind kind, string description, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Kind = kind;
        Name = options.Name;
        Description = description;
        Logger = logger;
    }

    public string Name { get; }

    public string Description { get; }

    public DatabaseKind Kind { get; }

    public abstract int MaxKeyLength { get; }

    /// <summary>The longest table name this backend takes (SQL identifiers are short).</summary>
    public abstract int MaxTableNameLength { get; }

    protected DatabaseOptions Options { get; }

    protected ILogger Logger { get; }

    /// <summary>
    /// Test hook: when N &gt; 0, the next committed batch fails with a transient <see cref="DatabaseException"/> just
    /// before its N-th write, after the backend applied the writes before it inside its atomic scope (an SQL
    /// transaction executes them), so a test can check that a batch failing in the middle leaves nothing. Fires once.
    /// </summary>
    public int FailNextBatchAtWrite
    {
        get => Volatile.Read(ref _failNextBatchAtWrite);
        set => Volatile.Write(ref _failNextBatchAtWrite, value);
    }

    public async ValueTask<IKvTable> OpenTableAsync(string name, CancellationToken cancellationToken = default)
    {
        TableNames.Validate(name, MaxTableNameLength, Name);
        using var lease = _gate.Enter(Name);
        if (_tables.TryGetValue(name, out var table))
            return table;
        // One open at a time: creating a column family or an SQL table twice at once fails in the engines.
        await _openLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tables.TryGetValue(name, out table))
                return table;
            try
            {
                table = await OpenTableCoreAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsForeign(e))
            {
                throw Translate(e, name, "opening the table");
            }
            _tables[name] = table;
            if (table.IsNew)
                StorageLog.TableCreated(Logger, Name, name);
            return table;
        }
        finally
        {
            _openLock.Release();
        }
    }

    public IKvBatch BeginBatch()
    {
        ObjectDisposedException.ThrowIf(_gate.IsClosing, this);
        return new KvBatch(this);
    }

    public async ValueTask<VersionedValue?> GetDataWithVersionAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        CheckDataKey(key);
        using var lease = _gate.Enter(Name);
        try
        {
            return await GetDataCoreAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsForeign(e))
        {
            throw Translate(e, null, "reading versioned data");
        }
    }

    public async ValueTask<long?> TrySaveDataWithSameVersionAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken = default)
    {
        CheckDataKey(key);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        using var lease = _gate.Enter(Name);
        try
        {
            return await TrySaveDataCoreAsync(key, data, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsForeign(e))
        {
            throw Translate(e, null, "saving versioned data");
        }
    }

    public async ValueTask SetInUseAsync(int serverId, string globalCacheName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(globalCacheName);
        using var lease = _gate.Enter(Name);
        string? refusal;
        try
        {
            refusal = await SetInUseCoreAsync(serverId, globalCacheName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsForeign(e))
        {
            throw Translate(e, null, "marking the server in use");
        }
        if (refusal is not null)
            throw Error(DatabaseErrorKind.InUse, null, refusal);
    }

    public async ValueTask<bool> ClearInUseAsync(int serverId, CancellationToken cancellationToken = default)
    {
        using var lease = _gate.Enter(Name);
        try
        {
            return await ClearInUseCoreAsync(serverId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsForeign(e))
        {
            throw Translate(e, null, "clearing the in-use mark");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        GC.SuppressFinalize(this);
        var (drained, stillRunning) = await _gate.CloseAsync(Options.DisposeTimeout).ConfigureAwait(false);
        if (!drained)
        {
            StorageLog.CloseTimedOut(Logger, Name, stillRunning, Options.DisposeTimeout);
            return;
        }
        await DisposeCoreAsync().ConfigureAwait(false);
        _openLock.Dispose();
        StorageLog.Closed(Logger, Name);
    }

    public override string ToString() => $"{Kind} database '{Name}' ({Description})";

    internal async ValueTask<byte[]?> FindAsync(KvTable table, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        using var lease = _gate.Enter(Name);
        StorageMetrics.Read(Name, Kind);
        try
        {
            return await table.FindCoreAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsForeign(e))
        {
            throw Translate(e, table.Name, "find");
        }
    }

    internal async IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkAsync(KvTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The lease lasts as long as the enumerator, so closing waits for a walk in progress.
        using var lease = _gate.Enter(Name);
        var rows = table.WalkCoreAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await rows.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (IsForeign(e))
                {
                    throw Translate(e, table.Name, "walk");
                }
                if (!more)
                    break;
                yield return rows.Current;
            }
        }
        finally
        {
            await rows.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Tests: awaited before each batch is committed, to hold a batch in flight.</summary>
    internal Func<Task>? BeforeCommitForTests { get; set; }

    internal async ValueTask CommitBatchAsync(List<KvWrite> writes, CancellationToken cancellationToken)
    {
        if (BeforeCommitForTests is { } hook) await hook().ConfigureAwait(false);
        using var lease = _gate.Enter(Name);
        int failAt = Interlocked.Exchange(ref _failNextBatchAtWrite, 0);
        long start = Stopwatch.GetTimestamp();
        try
        {
            try
            {
                await CommitCoreAsync(writes, failAt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsForeign(e))
            {
                throw Translate(e, null, $"committing a batch of {writes.Count} writes");
            }
            StorageMetrics.BatchDone(Name, Kind, writes.Count, Stopwatch.GetElapsedTime(start), "ok");
        }
        catch (DatabaseException e)
        {
            StorageMetrics.BatchDone(Name, Kind, writes.Count, Stopwatch.GetElapsedTime(start), "failed");
            StorageLog.BatchFailed(Logger, e, Name, writes.Count, e.Kind);
            throw;
        }
    }

    /// <summary>Opens or creates the table; <see cref="KvTable.IsNew"/> says which.</summary>
    protected abstract ValueTask<KvTable> OpenTableCoreAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Applies every write atomically, in order (the last write to a key wins). When <paramref name="failAtWrite"/> is
    /// positive, call <see cref="ThrowIfFaultDue"/> before each write inside the atomic scope.
    /// </summary>
    protected abstract ValueTask CommitCoreAsync(IReadOnlyList<KvWrite> writes, int failAtWrite, CancellationToken cancellationToken);

    protected abstract ValueTask<VersionedValue?> GetDataCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken);

    protected abstract ValueTask<long?> TrySaveDataCoreAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Marks the server atomically; returns why it may not (<see cref="InUseRules.Refusal"/>), or null once marked.</summary>
    protected abstract ValueTask<string?> SetInUseCoreAsync(int serverId, string globalCacheName, CancellationToken cancellationToken);

    protected abstract ValueTask<bool> ClearInUseCoreAsync(int serverId, CancellationToken cancellationToken);

    /// <summary>Frees the engine; no call is running any more.</summary>
    protected abstract ValueTask DisposeCoreAsync();

    /// <summary>Turns an engine exception into a <see cref="DatabaseException"/> whose message says what went wrong.</summary>
    protected virtual DatabaseException Translate(Exception exception, string? table, string operation) =>
        Error(DatabaseErrorKind.Failure, table, $"{operation} failed: {exception.Message}", exception);

    /// <summary>A <see cref="DatabaseException"/> whose message starts with this database (and table).</summary>
    protected DatabaseException Error(DatabaseErrorKind kind, string? table, string problem, Exception? inner = null)
    {
        string where = table is null ? $"database '{Name}' ({Description})" : $"database '{Name}' ({Description}), table '{table}'";
        return new DatabaseException(kind, Name, table, $"{where}: {problem}", inner);
    }

    /// <summary>The test hook's failure (see <see cref="FailNextBatchAtWrite"/>); <paramref name="writeIndex"/> counts from 0.</summary>
    protected void ThrowIfFaultDue(int writeIndex, int failAtWrite)
    {
        if (failAtWrite > 0 && writeIndex + 1 == failAtWrite)
            throw Error(DatabaseErrorKind.Transient, null, $"injected failure before write {failAtWrite} of the batch (test hook FailNextBatchAtWrite).");
    }

    private void CheckDataKey(ReadOnlyMemory<byte> key)
    {
        if (key.Length > MaxKeyLength)
            throw new ArgumentException($"database '{Name}': a versioned data key of {key.Length} bytes is longer than the {MaxKeyLength} bytes this database takes.", nameof(key));
    }

    /// <summary>Exceptions that already say the right thing pass through untouched.</summary>
    private static bool IsForeign(Exception e) =>
        e is not (DatabaseException or OperationCanceledException or ArgumentException or ObjectDisposedException);
}
