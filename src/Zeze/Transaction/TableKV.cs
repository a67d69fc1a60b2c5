using Zeze.Diagnostics;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Zeze.Serialize;

namespace Zeze.Transaction;

/// <summary>
/// A typed table. Every operation runs inside a procedure (except the walks, which run outside): reads see the
/// procedure's own writes; writes are applied when the transaction commits and reach the database with the
/// next checkpoint (or before the procedure returns for <see cref="Table.CheckpointWhenCommit"/> tables).
/// </summary>
public abstract class Table<K, V> : Table, ITableKeyCodec<K>
    where K : notnull
    where V : Bean, new()
{
    private readonly ConcurrentDictionary<K, Record<K>> _cache;
    private readonly IComparer<K> _keyOrder;
    private readonly IEqualityComparer<K> _keyEquality;

    protected Table(int id, string name) : base(id, name)
    {
        _keyEquality = EqualityComparer<K>.Default; // string equality is ordinal
        _keyOrder = typeof(K) == typeof(string) ? (IComparer<K>)(object)StringComparer.Ordinal : Comparer<K>.Default;
        _cache = new ConcurrentDictionary<K, Record<K>>(_keyEquality);
    }

    public override Type ValueType => typeof(V);
    public override Type KeyType => typeof(K);
    public override int CacheCount => _cache.Count;

    public abstract void EncodeKey(ByteBuffer bb, K key);
    public abstract K DecodeKey(ByteBuffer bb);

    // ---- operations inside a procedure ----

    /// <summary>The record's value as seen by this procedure, or null when absent.</summary>
    public ValueTask<V?> GetAsync(K key)
    {
        var txn = Transaction.Require();
        var access = AccessAsync(txn, key);
        if (access.IsCompletedSuccessfully)
            return new ValueTask<V?>((V?)txn.NewestValue(access.Result));
        return AwaitGet(txn, access);

        static async ValueTask<V?> AwaitGet(Transaction txn, ValueTask<RecordAccessed> access)
            => (V?)txn.NewestValue(await access);
    }

    /// <summary>True when the key has a value in this procedure's view.</summary>
    public async ValueTask<bool> ContainsAsync(K key) => await GetAsync(key) != null;

    /// <summary>The record's value, created (empty, <c>new V()</c>) when absent. The returned bean is managed.</summary>
    public ValueTask<V> GetOrAddAsync(K key)
    {
        var txn = Transaction.Require();
        var access = AccessAsync(txn, key);
        if (access.IsCompletedSuccessfully)
            return new ValueTask<V>(GetOrAdd(txn, access.Result));
        return AwaitGetOrAdd(this, txn, access);

        static async ValueTask<V> AwaitGetOrAdd(Table<K, V> table, Transaction txn, ValueTask<RecordAccessed> access)
            => table.GetOrAdd(txn, await access);
    }

    private V GetOrAdd(Transaction txn, RecordAccessed ra)
    {
        if (txn.NewestValue(ra) is V existing) return existing;
        var value = new V();
        value.InitRootInfo(ra.Record, null);
        txn.PutLog(new PutLog(ra, value));
        return value;
    }

    /// <summary>Adds the value if the key is absent. Returns false (and changes nothing) when it exists.</summary>
    public async ValueTask<bool> TryAddAsync(K key, V value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var txn = Transaction.Require();
        var ra = await AccessAsync(txn, key);
        if (txn.NewestValue(ra) != null) return false;
        PutValue(txn, ra, value);
        return true;
    }

    /// <summary>Adds the value; throws if the key exists.</summary>
    public async ValueTask InsertAsync(K key, V value)
    {
        if (!await TryAddAsync(key, value))
            throw new InvalidOperationException($"table {Name}: key {key} already exists");
    }

    /// <summary>Sets the record's value (inserting or replacing). The value becomes managed.</summary>
    public async ValueTask PutAsync(K key, V value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var txn = Transaction.Require();
        var ra = await AccessAsync(txn, key);
        PutValue(txn, ra, value);
    }

    private static void PutValue(Transaction txn, RecordAccessed ra, V value)
    {
        txn.VerifyRunning();
        value.InitRootInfoWithRedo(ra.Record, null);
        txn.PutLog(new PutLog(ra, value));
    }

    /// <summary>Removes the record (removing an absent key is allowed).</summary>
    public async ValueTask RemoveAsync(K key)
    {
        var txn = Transaction.Require();
        var ra = await AccessAsync(txn, key);
        txn.PutLog(new PutLog(ra, null));
    }

    /// <summary>
    /// An unmanaged deep copy of the newest value, or null. Inside a procedure a key the procedure has not
    /// accessed is read without joining the transaction's validation.
    /// </summary>
    public async ValueTask<V?> SelectCopyAsync(K key)
    {
        var txn = Transaction.Current;
        if (txn != null && txn.State != TransactionState.Completed)
        {
            var ra = txn.FindAccessed(this, key, _keyEquality);
            if (ra != null) return (V?)txn.NewestValue(ra)?.CopyBean();
            txn.SetAlwaysReleaseLockWhenRedo(); // redoes at once if retained locks are held
        }
        var record = await LoadAsync(key);
        await record.EnterAsync(write: false);
        try
        {
            return (V?)record.Value?.CopyBean();
        }
        finally
        {
            record.ExitRead();
        }
    }

    /// <summary>A copy of the cached or stored value without any locking or validation: may be stale.</summary>
    public async ValueTask<V?> SelectDirtyAsync(K key)
    {
        var record = await LoadAsync(key);
        return (V?)record.Value?.CopyBean();
    }

    // ---- access and load ----

    /// <summary>This transaction's entry for the key: existing, or a new snapshot of the (loaded) record.</summary>
    private ValueTask<RecordAccessed> AccessAsync(Transaction txn, K key)
    {
        txn.VerifyRunning();
        var ra = txn.FindAccessed(this, key, _keyEquality);
        if (ra != null) return new ValueTask<RecordAccessed>(ra);
        if (!ReferenceEquals(txn.Application, Application))
            throw new InvalidOperationException(Application == null
                ? $"table {Name} is not registered with an application (Application.AddTable)"
                : $"table {Name} belongs to application '{Application.Name}', not to the one running this procedure");
        if (_cache.TryGetValue(key, out var record) && IsValid(record.State))
        {
            Touch(record);
            if (!record.IsBusy || !txn.CanLockEarly(record))
                return new ValueTask<RecordAccessed>(txn.AddAccessed(record));
            return LockEarlyAsync(txn, record);
        }
        return AccessSlowAsync(txn, key);
    }

    private async ValueTask<RecordAccessed> AccessSlowAsync(Transaction txn, K key)
    {
        Record<K> record;
        try
        {
            record = await LoadAsync(key);
        }
        catch (GlobalAcquireException e)
        {
            if (e.Aborts) txn.ThrowAbort(e.Message);
            txn.Application.Metrics.GlobalRedone();
            txn.ThrowRedoAndReleaseLock(e.Message);
            throw; // not reached
        }
        txn.VerifyRunning();
        if (record.IsBusy && txn.CanLockEarly(record)) return await LockEarlyAsync(txn, record);
        return txn.AddAccessed(record);
    }

    /// <summary>
    /// The record is being committed by another transaction: reading it now would almost surely be redone. Wait for
    /// its write lock first (allowed because every lock this transaction holds sorts before it), then take the
    /// snapshot, which no one can change until this transaction ends.
    /// </summary>
    private static async ValueTask<RecordAccessed> LockEarlyAsync(Transaction txn, Record<K> record)
    {
        var enter = record.EnterAsync(write: true);
        if (!enter.IsCompleted)
        {
            txn.Application.Scheduler.ReportContention();
            await enter;
        }
        txn.AddEarlyLock(record);
        txn.VerifyRunning();
        return txn.AddAccessed(record);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsValid(int state) => state == RecordState.Share || state == RecordState.Modify;

    /// <summary>The cached record of a key, loading it from the database when needed.</summary>
    internal async ValueTask<Record<K>> LoadAsync(K key)
    {
        while (true)
        {
            var record = _cache.GetOrAdd(key, static (k, t) => new Record<K>(t, k, t._keyOrder), this);
            if (IsValid(record.State))
            {
                Touch(record);
                return record;
            }
            Task load;
            lock (record)
            {
                int state = record.State;
                if (IsValid(state)) return record;
                if (state == RecordState.Removed) continue; // lost a race with eviction: look up again
                load = record.Loading!;
                if (load == null)
                {
                    // Runs synchronously up to the first real wait (an embedded database completes at once).
                    load = LoadRecordAsync(record);
                    if (!load.IsCompleted) record.Loading = load;
                }
            }
            await load;
        }
    }

    private async Task LoadRecordAsync(Record<K> record)
    {
        try
        {
            var app = Application;
            int granted = RecordState.Modify; // no global cache: loaded means valid for reading and writing
            if (app.GlobalAgent is { } agent && !IsMemory)
            {
                // Data of ours not yet written (a reduce whose flush did not finish) must reach the database first.
                if (record.IsDirty) await app.Checkpoint.FlushRecordAsync(record).ConfigureAwait(false);
                // Share, unless the last transaction here that committed with this record wrote it (see WriteExpected).
                int wanted = record.WriteExpected ? Services.GlobalCache.GlobalState.Modify : Services.GlobalCache.GlobalState.Share;
                var result = await agent.AcquireAsync(record.GlobalKey, wanted, fresh: false).ConfigureAwait(false);
                app.Metrics.GlobalAcquired(wanted, result.Granted);
                if (!result.Granted) throw new GlobalAcquireException(record, wanted, result.ResultCode);
                granted = result.State == Services.GlobalCache.GlobalState.Modify ? RecordState.Modify : RecordState.Share;
                if (CoherenceTrace.Enabled) CoherenceTrace.Add(record, CoherenceTrace.Kind.LoadAcquired, result.State, result.ResultCode, 0);
                record.FreshUntil = app.NewFreshUntil();
            }
            V? value = null;
            if (Storage != null)
            {
                byte[] keyBytes = EncodeKeyBytes(record.Key);
                int max = Storage.Database.MaxKeyLength;
                if (keyBytes.Length > max)
                    throw new ArgumentException($"table {Name}: key {record.Key} is {keyBytes.Length} bytes encoded; the database {Storage.Database.Name} accepts at most {max}");
                byte[]? bytes = await Storage.FindAsync(keyBytes).ConfigureAwait(false);
                if (bytes != null) value = DecodeStored(record.Key, bytes);
            }
            value?.InitRootInfo(record, null);
            record.Value = value;
            record.Timestamp = record.Timestamp + 1;
            record.State = granted;
            if (CoherenceTrace.Enabled) CoherenceTrace.Add(record, CoherenceTrace.Kind.LoadRead, granted, record.Timestamp);
            Touch(record);
            Application.Metrics.CacheMisses.Add(1);
        }
        catch
        {
            // Forget the half-loaded record so the next access tries again (a record still holding unwritten data
            // stays: it is retried in place).
            if (!record.IsDirty)
            {
                record.State = RecordState.Removed;
                _cache.TryRemove(new KeyValuePair<K, Record<K>>(record.Key, record));
            }
            throw;
        }
        finally
        {
            lock (record) record.Loading = null; // waits for the starter to leave its lock(record)
        }
    }

    private V DecodeStored(K key, byte[] bytes)
    {
        var value = new V();
        try
        {
            value.Decode(ByteBuffer.Wrap(bytes));
        }
        catch (DecodeException e)
        {
            throw new DecodeException($"table {Name}, key {key}: the stored value ({bytes.Length} bytes) cannot be decoded as {typeof(V).Name}: {e.Message}", e);
        }
        return value;
    }

    internal byte[] EncodeKeyBytes(K key)
    {
        var bb = ByteBuffer.Rent(64);
        try
        {
            EncodeKey(bb, key);
            return bb.ToArray();
        }
        finally
        {
            ByteBuffer.Return(bb);
        }
    }

    internal override async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (IsMemory) return;
        var db = Application.GetDatabase(Options.DatabaseName);
        Storage = await db.OpenTableAsync(Name, cancellationToken).ConfigureAwait(false);
    }

    // ---- cache ----

    /// <summary>Coarse access clock: bumped by the cleaner, copied into records on access.</summary>
    private long _accessClock = 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(Record record)
    {
        long now = Volatile.Read(ref _accessClock);
        if (record.LastAccess != now) record.LastAccess = now; // write only on change: hot records stay in shared cache lines
    }

    /// <summary>Evicts clean, idle records until at most <paramref name="capacity"/> remain. Returns how many were evicted.</summary>
    internal override int CleanCache(int capacity)
    {
        long clock = Interlocked.Increment(ref _accessClock);
        int excess = _cache.Count - capacity;
        if (capacity <= 0 || excess <= 0) return 0;
        // Oldest first; records touched since the previous clean are kept.
        var candidates = new List<Record<K>>(Math.Min(_cache.Count, 1 << 20));
        foreach (var kv in _cache)
        {
            if (kv.Value.LastAccess < clock - 1) candidates.Add(kv.Value);
        }
        candidates.Sort(static (a, b) => a.LastAccess.CompareTo(b.LastAccess));
        int evicted = 0;
        foreach (var record in candidates)
        {
            if (evicted >= excess) break;
            if (TryEvict(record)) evicted++;
        }
        return evicted;
    }

    private bool TryEvict(Record<K> record)
    {
        if (!record.TryEnterWrite()) return false;
        try
        {
            if (record.IsDirty) return false;
            if (record.State == RecordState.Invalid) return TryEvictInvalid(record);
            var rrs = record.Rrs;
            if (!rrs.TryEnter()) return false;
            try
            {
                if (rrs.MergeTo != null || rrs.Count > 1 || record.IsDirty) return false;
                var agent = Application.GlobalAgent;
                if (agent != null && Application.IsFresh(record)) return false;
                if (!_cache.TryRemove(new KeyValuePair<K, Record<K>>(record.Key, record))) return false;
                bool held = record.State is RecordState.Share or RecordState.Modify;
                record.State = RecordState.Removed; // holders of this object will redo
                if (agent != null && held) _ = ReleaseGloballyAsync(agent, record);
                return true;
            }
            finally
            {
                rrs.Exit();
            }
        }
        finally
        {
            record.ExitWrite();
        }
    }

    /// <summary>
    /// A record another server took away (or never loaded): nothing to release. Decided under the record's monitor,
    /// which a load takes to start, so that no load begins on a record that is leaving the cache.
    /// </summary>
    private bool TryEvictInvalid(Record<K> record)
    {
        lock (record)
        {
            if (record.Loading != null || record.State != RecordState.Invalid) return false;
            if (!_cache.TryRemove(new KeyValuePair<K, Record<K>>(record.Key, record))) return false;
            record.State = RecordState.Removed;
            return true;
        }
    }

    private async Task ReleaseGloballyAsync(Services.GlobalCache.IGlobalCacheAgent agent, Record record)
    {
        try
        {
            await agent.ReleaseAsync(record.GlobalKey).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ignored: the GCM will send a reduce, answered "already invalid".
        }
    }

    internal override Record? FindCached(ReadOnlySpan<byte> keyBytes)
    {
        K key;
        try
        {
            key = DecodeKey(ByteBuffer.From(keyBytes));
        }
        catch (DecodeException)
        {
            return null;
        }
        return _cache.TryGetValue(key, out var record) ? record : null;
    }

    internal override IEnumerable<Record> CachedRecords() => _cache.Values.ToArray();

    /// <summary>The cached record of <paramref name="key"/>, if any (no load, no lock).</summary>
    internal Record<K>? PeekCached(K key) => _cache.TryGetValue(key, out var record) ? record : null;

    // ---- walks (outside procedures) ----

    /// <summary>
    /// Visits every committed record: the database's rows, with cached records taking precedence (a cached
    /// deletion hides the row). Runs a checkpoint first so that records not yet flushed are included.
    /// Returns the number visited; the callback returns false to stop.
    /// </summary>
    public async ValueTask<long> WalkAsync(Func<K, V, bool> callback, CancellationToken cancellationToken = default)
    {
        ThrowIfInTransaction();
        if (Storage == null) return WalkCache(callback);
        await Application.CheckpointNowAsync(cancellationToken).ConfigureAwait(false);
        long count = 0;
        await foreach (var row in Storage.WalkAsync(cancellationToken).ConfigureAwait(false))
        {
            K key = DecodeKey(ByteBuffer.Wrap(row.Key));
            V? value;
            if (_cache.TryGetValue(key, out var record) && IsValid(record.State))
            {
                await record.EnterAsync(write: false);
                try
                {
                    value = (V?)record.Value?.CopyBean();
                }
                finally
                {
                    record.ExitRead();
                }
                if (value == null) continue; // deleted in the cache, not yet in the database
            }
            else
            {
                value = DecodeStored(key, row.Value);
            }
            count++;
            if (!callback(key, value)) break;
        }
        return count;
    }

    /// <summary>Visits the cached records that have a value (copies, read under each record's read lock).</summary>
    public long WalkCache(Func<K, V, bool> callback)
    {
        ThrowIfInTransaction();
        long count = 0;
        foreach (var kv in _cache)
        {
            var record = kv.Value;
            if (!IsValid(record.State) || !record.TryEnterRead()) continue;
            V? value;
            try
            {
                value = (V?)record.Value?.CopyBean();
            }
            finally
            {
                record.ExitRead();
            }
            if (value == null) continue;
            count++;
            if (!callback(kv.Key, value)) break;
        }
        return count;
    }

    private void ThrowIfInTransaction()
    {
        if (Transaction.Current is { State: not TransactionState.Completed })
            throw new InvalidOperationException($"table {Name}: walks run outside procedures (they read many records without locks)");
    }
}
