using System.Collections.Immutable;

namespace Zeze.Transaction.Collections;

/// <summary>The pending version of a map plus which keys were put (replaced or added) and removed.</summary>
public sealed class LogMap<K, V> : Log where K : notnull
{
    internal LogMap(CollectionBean map, ImmutableDictionary<K, V> value) : base(map, map.VariableId) => Value = value;

    public ImmutableDictionary<K, V> Value { get; internal set; }

    private Dictionary<K, V>? _replaced;
    private HashSet<K>? _removed;
    private Dictionary<K, Log>? _changed;

    /// <summary>Keys set to a (new) value, with the value.</summary>
    public IReadOnlyDictionary<K, V> Replaced => (IReadOnlyDictionary<K, V>?)_replaced ?? ImmutableDictionary<K, V>.Empty;

    /// <summary>Keys removed.</summary>
    public IReadOnlySet<K> Removed => (IReadOnlySet<K>?)_removed ?? ImmutableHashSet<K>.Empty;

    /// <summary>For maps of beans: keys whose value bean changed in place, with its changes.</summary>
    public IReadOnlyDictionary<K, Log> Changed => (IReadOnlyDictionary<K, Log>?)_changed ?? ImmutableDictionary<K, Log>.Empty;

    public override long LogKey => Belong!.ObjectId;

    internal void NoteReplaced(K key, V value)
    {
        (_replaced ??= [])[key] = value;
        _removed?.Remove(key);
    }

    internal void NoteRemoved(K key)
    {
        (_removed ??= []).Add(key);
        _replaced?.Remove(key);
    }

    internal void NoteChanged(K key, Log changes)
    {
        if (_replaced != null && _replaced.ContainsKey(key)) return; // the replacement already holds the new value
        (_changed ??= [])[key] = changes;
    }

    public override void Commit() => ((CollectionMap<K, V>)Belong!).Committed = Value;

    public override Log BeginSavepoint() => new LogMap<K, V>((CollectionBean)Belong!, Value);

    public override void EndSavepoint(Savepoint parent)
    {
        if (parent.GetLog(LogKey) is LogMap<K, V> p)
        {
            p.Value = Value;
            if (_replaced != null) foreach (var kv in _replaced) p.NoteReplaced(kv.Key, kv.Value);
            if (_removed != null) foreach (var k in _removed) p.NoteRemoved(k);
        }
        else
        {
            parent.PutLog(this);
        }
    }

    public override string ToString() => $"Map(put {Replaced.Count}, removed {Removed.Count}, changed {Changed.Count})";
}
