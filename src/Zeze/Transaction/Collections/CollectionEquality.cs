using System.Collections.Immutable;
using System.ComponentModel;

namespace Zeze.Transaction.Collections;

/// <summary>Value equality of collection snapshots, for generated <c>Equals</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CollectionEquality
{
    public static bool MapEquals<K, V>(ImmutableDictionary<K, V> a, ImmutableDictionary<K, V> b) where K : notnull
    {
        if (a.Count != b.Count) return false;
        var values = EqualityComparer<V>.Default;
        foreach (var kv in a)
        {
            if (!b.TryGetValue(kv.Key, out var other) || !values.Equals(kv.Value, other)) return false;
        }
        return true;
    }
}
