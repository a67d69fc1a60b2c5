using System.Collections.Concurrent;

namespace Zeze.Bench.Local;

/// <summary>A record of the raw variants: a plain object whose own monitor is its lock.</summary>
public sealed class RawRecord
{
    public long Value;
}

/// <summary>
/// The floor the framework is measured against: records in a <see cref="ConcurrentDictionary{TKey,TValue}"/>,
/// created on first use like <c>GetOrAdd</c> of a table, each guarded by <c>lock (record)</c>.
/// </summary>
public sealed class RawTable
{
    private static readonly Func<long, RawRecord> NewRecord = static _ => new RawRecord();

    private readonly ConcurrentDictionary<long, RawRecord> _records;

    public RawTable(int expectedKeys) =>
        _records = new ConcurrentDictionary<long, RawRecord>(Environment.ProcessorCount, Math.Max(expectedKeys, 31));

    public RawRecord GetOrAdd(long key) => _records.GetOrAdd(key, NewRecord);

    public bool TryGet(long key, out RawRecord? record) => _records.TryGetValue(key, out record);

    public int Count => _records.Count;

    public IEnumerable<KeyValuePair<long, RawRecord>> Records => _records;
}
