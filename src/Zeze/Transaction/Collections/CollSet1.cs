using System.Collections;
using System.Collections.Immutable;
using System.ComponentModel;

namespace Zeze.Transaction.Collections;

/// <summary>A transactional set of keyable values (schema <c>set[T]</c>).</summary>
public sealed class CollSet1<T> : CollectionBean, IReadOnlySet<T> where T : notnull
{
    internal ImmutableHashSet<T> Committed = ImmutableHashSet<T>.Empty;

    /// <summary>The set as this procedure sees it (an immutable snapshot).</summary>
    public ImmutableHashSet<T> Value => ReadLog() is LogSet<T> log ? log.Value : Committed;

    public int Count => Value.Count;

    public bool Contains(T item) => Value.Contains(item);

    public IEnumerator<T> GetEnumerator() => Value.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Add(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!IsManaged)
        {
            var next = Committed.Add(item);
            bool added = !ReferenceEquals(next, Committed);
            Committed = next;
            return added;
        }
        var log = Log();
        if (log.Value.Contains(item)) return false;
        log.Value = log.Value.Add(item);
        log.NoteAdded(item);
        return true;
    }

    public bool Remove(T item)
    {
        if (!IsManaged)
        {
            var next = Committed.Remove(item);
            bool removed = !ReferenceEquals(next, Committed);
            Committed = next;
            return removed;
        }
        var log = Log();
        if (!log.Value.Contains(item)) return false;
        log.Value = log.Value.Remove(item);
        log.NoteRemoved(item);
        return true;
    }

    public void Clear()
    {
        foreach (var item in Value.ToArray()) Remove(item);
    }

    public void UnionWith(IEnumerable<T> other)
    {
        foreach (var item in other) Add(item);
    }

    public void ExceptWith(IEnumerable<T> other)
    {
        foreach (var item in other) Remove(item); // only present items are noted as removed
    }

    public void IntersectWith(IEnumerable<T> other)
    {
        var keep = other as IReadOnlySet<T> ?? other.ToHashSet();
        foreach (var item in Value.ToArray())
        {
            if (!keep.Contains(item)) Remove(item);
        }
    }

    public void SymmetricExceptWith(IEnumerable<T> other)
    {
        foreach (var item in other.Distinct().ToArray())
        {
            if (!Remove(item)) Add(item);
        }
    }

    public bool IsProperSubsetOf(IEnumerable<T> other) => Value.IsProperSubsetOf(other);
    public bool IsProperSupersetOf(IEnumerable<T> other) => Value.IsProperSupersetOf(other);
    public bool IsSubsetOf(IEnumerable<T> other) => Value.IsSubsetOf(other);
    public bool IsSupersetOf(IEnumerable<T> other) => Value.IsSupersetOf(other);
    public bool Overlaps(IEnumerable<T> other) => Value.Overlaps(other);
    public bool SetEquals(IEnumerable<T> other) => Value.SetEquals(other);

    private LogSet<T> Log() => WriteLog(static c => new LogSet<T>(c, ((CollSet1<T>)c).Committed));

    [EditorBrowsable(EditorBrowsableState.Never)]
    public void SetUnmanaged(ImmutableHashSet<T> items)
    {
        ThrowIfManagedForDecode();
        Committed = items;
    }

    protected override void InitChildrenRootInfo(Record root) { }
    protected override void ResetChildrenRootInfo() { }

    internal override Log CreateChangesLog() => new LogSet<T>(this, Value);

    internal override void AddChildChanges(Log collectionLog, Bean child, Log childChanges) { }

    /// <summary>Applies a change log received from elsewhere to this unmanaged set.</summary>
    public void FollowerApply(LogSet<T> log) => Committed = Committed.Except(log.Removed).Union(log.Added);

    public override string ToString() => "{" + string.Join(", ", Value) + "}";
}
