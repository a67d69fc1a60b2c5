using System.Collections;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Zeze.Transaction.Collections;

/// <summary>A transactional map (schema <c>map[K,V]</c>). Keys and values must not be null.</summary>
public abstract class CollectionMap<K, V> : CollectionBean, IReadOnlyDictionary<K, V> where K : notnull
{
    internal ImmutableDictionary<K, V> Committed = ImmutableDictionary<K, V>.Empty;

    /// <summary>The map as this procedure sees it (an immutable snapshot).</summary>
    public ImmutableDictionary<K, V> Value => ReadLog() is LogMap<K, V> log ? log.Value : Committed;

    public int Count => Value.Count;
    public IEnumerable<K> Keys => Value.Keys;
    public IEnumerable<V> Values => Value.Values;

    public V this[K key]
    {
        get => Value[key];
        set => Put(key, value);
    }

    public bool ContainsKey(K key) => Value.ContainsKey(key);

    public bool TryGetValue(K key, [MaybeNullWhen(false)] out V value) => Value.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<K, V>> GetEnumerator() => Value.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a new key; throws if it exists.</summary>
    public void Add(K key, V value)
    {
        if (!TryAdd(key, value))
            throw new ArgumentException($"key {key} already exists in the map", nameof(key));
    }

    /// <summary>Adds a new key; false if it exists.</summary>
    public bool TryAdd(K key, V value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ContainsKey(key)) return false;
        Put(key, value);
        return true;
    }

    /// <summary>Sets the value of a key (adds or replaces).</summary>
    public void Put(K key, V value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (TryGetValue(key, out var old)) OnRemove(old);
        OnAdd(key, value);
        if (!IsManaged)
        {
            Committed = Committed.SetItem(key, value);
            return;
        }
        var log = Log();
        log.Value = log.Value.SetItem(key, value);
        log.NoteReplaced(key, value);
    }

    public bool Remove(K key)
    {
        if (!IsManaged)
        {
            if (!Committed.TryGetValue(key, out var v)) return false;
            Committed = Committed.Remove(key);
            OnRemove(v);
            return true;
        }
        var log = Log();
        if (!log.Value.TryGetValue(key, out var old)) return false;
        log.Value = log.Value.Remove(key);
        log.NoteRemoved(key);
        OnRemove(old);
        return true;
    }

    /// <summary>Removes the pair only when the key maps to an equal value.</summary>
    public bool Remove(KeyValuePair<K, V> pair) =>
        TryGetValue(pair.Key, out var v) && EqualityComparer<V>.Default.Equals(v, pair.Value) && Remove(pair.Key);

    public void Clear()
    {
        foreach (var key in Value.Keys.ToArray()) Remove(key);
    }

    private LogMap<K, V> Log() => WriteLog(static c => new LogMap<K, V>(c, ((CollectionMap<K, V>)c).Committed));

    private protected virtual void OnAdd(K key, V value) { }

    private protected virtual void OnRemove(V value) { }

    [EditorBrowsable(EditorBrowsableState.Never)]
    public void SetUnmanaged(ImmutableDictionary<K, V> items)
    {
        ThrowIfManagedForDecode();
        Committed = items;
    }

    internal override Log CreateChangesLog() => new LogMap<K, V>(this, Value);

    internal override void AddChildChanges(Log collectionLog, Bean child, Log childChanges)
    {
        if (child.MapKey is K key) ((LogMap<K, V>)collectionLog).NoteChanged(key, childChanges);
    }

    /// <summary>Applies a change log received from elsewhere to this unmanaged map.</summary>
    public void FollowerApply(LogMap<K, V> log, Action<V, Log>? applyValue = null)
    {
        var map = Committed.RemoveRange(log.Removed);
        foreach (var kv in log.Replaced) map = map.SetItem(kv.Key, Copy(kv.Value));
        if (applyValue != null)
        {
            foreach (var kv in log.Changed)
            {
                if (map.TryGetValue(kv.Key, out var v)) applyValue(v, kv.Value);
            }
        }
        Committed = map;
    }

    private protected virtual V Copy(V value) => value;

    public override string ToString() => "{" + string.Join(", ", Value.Select(kv => $"{kv.Key}:{kv.Value}")) + "}";
}

/// <summary>A map whose values are plain values (numbers, strings, binary, bean keys, vectors).</summary>
public sealed class CollMap1<K, V> : CollectionMap<K, V> where K : notnull where V : notnull
{
    protected override void InitChildrenRootInfo(Record root) { }
    protected override void ResetChildrenRootInfo() { }
}

/// <summary>A map whose values are beans: each value is bound to the record when put, and remembers its key.</summary>
public sealed class CollMap2<K, V> : CollectionMap<K, V> where K : notnull where V : Bean
{
    private protected override void OnAdd(K key, V value)
    {
        var root = RootRecord;
        if (root != null) value.InitRootInfoWithRedo(root, this);
        value.MapKey = key;
    }

    private protected override V Copy(V value) => (V)value.CopyBean();

    protected override void InitChildrenRootInfo(Record root)
    {
        foreach (var kv in Committed)
        {
            kv.Value.InitRootInfo(root, this);
            kv.Value.MapKey = kv.Key;
        }
    }

    protected override void ResetChildrenRootInfo()
    {
        foreach (var kv in Committed) kv.Value.ResetRootInfo();
    }

    /// <summary>The value of a key, created (<c>new V()</c>) and put when absent.</summary>
    public V GetOrAdd(K key, Func<V> create)
    {
        if (TryGetValue(key, out var v)) return v;
        v = create();
        Put(key, v);
        return v;
    }
}
