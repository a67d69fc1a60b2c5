namespace Zeze.Transaction;

// The records a transaction has accessed: a small array searched linearly (transactions touch few records),
// each entry an atomic snapshot of (record, timestamp, value) taken at first access.
public sealed partial class Transaction
{
    private RecordAccessed[] _accessed = new RecordAccessed[8];
    private int _accessedCount;
    private Record? _lastRecord;
    private List<Bean>? _redoBeans;

    /// <summary>Number of records accessed by the current attempt.</summary>
    public int AccessedCount => _accessedCount;

    /// <summary>The entry of an exact record object, or null.</summary>
    internal RecordAccessed? FindAccessed(Record record)
    {
        var a = _accessed;
        for (int i = 0; i < _accessedCount; i++)
        {
            if (ReferenceEquals(a[i].Record, record)) return a[i];
        }
        return null;
    }

    /// <summary>The entry for the same table and key as <paramref name="record"/> (possibly another record object).</summary>
    internal RecordAccessed? FindAccessedByKey(Record record)
    {
        var a = _accessed;
        for (int i = 0; i < _accessedCount; i++)
        {
            var r = a[i].Record;
            if (ReferenceEquals(r, record)) return a[i];
            if (ReferenceEquals(r.Table, record.Table) && r.CompareKeyTo(record) == 0) return a[i];
        }
        return null;
    }

    /// <summary>The entry of a table's key, or null (typed lookup without boxing).</summary>
    internal RecordAccessed? FindAccessed<K>(Table table, K key, IEqualityComparer<K> comparer) where K : notnull
    {
        var a = _accessed;
        for (int i = 0; i < _accessedCount; i++)
        {
            var r = a[i].Record;
            if (ReferenceEquals(r.Table, table) && comparer.Equals(((Record<K>)r).Key, key)) return a[i];
        }
        return null;
    }

    /// <summary>Registers the first access of a record: snapshot its timestamp, then its value.</summary>
    internal RecordAccessed AddAccessed(Record record)
    {
        if (_accessedCount == _accessed.Length)
            Array.Resize(ref _accessed, _accessed.Length * 2);
        var ra = _accessed[_accessedCount] ??= new RecordAccessed();
        _accessedCount++;
        ra.Record = record;
        // Timestamp first: a commit publishes the value before the timestamp, so a stale value always
        // comes with a stale timestamp and fails validation.
        ra.Timestamp = record.Timestamp;
        ra.Value = record.Value;
        ra.Dirty = false;
        _lastRecord = record;
        return ra;
    }

    /// <summary>A read through a bean whose record this attempt has not accessed through its table.</summary>
    private void EnsureReadAccess(Record record)
    {
        var ra = FindAccessedByKey(record);
        if (ra == null)
        {
            if (record.State == RecordState.Removed)
                throw new InvalidOperationException(
                    $"a bean of record {record} was read after the record left the cache: read the record again through its table");
            AddAccessed(record);
            return;
        }
        if (!ReferenceEquals(ra.Record, record))
            throw new InvalidOperationException(
                $"a bean of record {record} was read, but this transaction uses a newer copy of that record: do not keep beans across procedures");
        _lastRecord = record;
    }

    /// <summary>The newest value of an accessed record in this transaction: its put/remove if any, else the snapshot.</summary>
    internal Bean? NewestValue(RecordAccessed ra)
    {
        var log = GetLog(ra.PutLogKey);
        return log != null ? ((PutLog)log).Value : ra.Value;
    }

    internal void AddRedoBean(Bean bean) => (_redoBeans ??= []).Add(bean);

    /// <summary>Sorts the accessed records into the global lock order (table id, key).</summary>
    private void SortAccessed()
    {
        if (_accessedCount > 1)
            Array.Sort(_accessed, 0, _accessedCount, AccessedComparer.Instance);
    }

    private sealed class AccessedComparer : IComparer<RecordAccessed>
    {
        public static readonly AccessedComparer Instance = new();
        public int Compare(RecordAccessed? x, RecordAccessed? y) => Record.Compare(x!.Record, y!.Record);
    }

    /// <summary>Forgets everything of the current attempt (not the locks held).</summary>
    private void ClearAttempt()
    {
        for (int i = 0; i < _accessedCount; i++) _accessed[i].Reset();
        _accessedCount = 0;
        _lastRecord = null;
        while (_savepoints.Count > 0)
        {
            Free(_savepoints[^1]);
            _savepoints.RemoveAt(_savepoints.Count - 1);
        }
        _finalRollbackActions?.Clear();
        _redoBeans?.Clear();
        _dirtyCount = 0;
    }
}
