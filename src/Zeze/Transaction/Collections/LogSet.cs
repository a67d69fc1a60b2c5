using System.Collections.Immutable;

namespace Zeze.Transaction.Collections;

/// <summary>The pending version of a set plus which elements were added and removed.</summary>
public sealed class LogSet<T> : Log where T : notnull
{
    internal LogSet(CollectionBean set, ImmutableHashSet<T> value) : base(set, set.VariableId) => Value = value;

    public ImmutableHashSet<T> Value { get; internal set; }

    private HashSet<T>? _added;
    private HashSet<T>? _removed;

    public IReadOnlySet<T> Added => (IReadOnlySet<T>?)_added ?? ImmutableHashSet<T>.Empty;
    public IReadOnlySet<T> Removed => (IReadOnlySet<T>?)_removed ?? ImmutableHashSet<T>.Empty;

    public override long LogKey => Belong!.ObjectId;

    internal void NoteAdded(T item)
    {
        (_added ??= []).Add(item);
        _removed?.Remove(item);
    }

    internal void NoteRemoved(T item)
    {
        (_removed ??= []).Add(item);
        _added?.Remove(item);
    }

    public override void Commit() => ((CollSet1<T>)Belong!).Committed = Value;

    public override Log BeginSavepoint() => new LogSet<T>((CollectionBean)Belong!, Value);

    public override void EndSavepoint(Savepoint parent)
    {
        if (parent.GetLog(LogKey) is LogSet<T> p)
        {
            p.Value = Value;
            if (_added != null) foreach (var a in _added) p.NoteAdded(a);
            if (_removed != null) foreach (var r in _removed) p.NoteRemoved(r);
        }
        else
        {
            parent.PutLog(this);
        }
    }

    public override string ToString() => $"Set(+{Added.Count}, -{Removed.Count})";
}
