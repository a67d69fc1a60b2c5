using System.Collections;
using System.Collections.Immutable;
using System.ComponentModel;

namespace Zeze.Transaction.Collections;

/// <summary>A transactional list (schema <c>list[T]</c> and <c>array[T]</c>). Elements must not be null.</summary>
public abstract class CollectionList<T> : CollectionBean, IReadOnlyList<T>
{
    internal ImmutableList<T> Committed = ImmutableList<T>.Empty;

    /// <summary>The list as this procedure sees it (an immutable snapshot).</summary>
    public ImmutableList<T> Value => ReadLog() is LogList<T> log ? log.Value : Committed;

    public int Count => Value.Count;

    public T this[int index]
    {
        get => Value[index];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var old = Value[index];
            OnRemove(old);
            OnAdd(value);
            Change(ListOp.Modify, index, value, v => v.SetItem(index, value));
        }
    }

    public IEnumerator<T> GetEnumerator() => Value.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public ImmutableList<T>.Enumerator GetStructEnumerator() => Value.GetEnumerator();

    public void Add(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        OnAdd(item);
        int index = Count;
        Change(ListOp.Add, index, item, v => v.Add(item));
    }

    public void AddRange(IEnumerable<T> items)
    {
        foreach (var item in items) Add(item);
    }

    public void Insert(int index, T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if ((uint)index > (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        OnAdd(item);
        Change(ListOp.Add, index, item, v => v.Insert(index, item));
    }

    public bool Remove(T item)
    {
        int index = IndexOf(item);
        if (index < 0) return false;
        RemoveAt(index);
        return true;
    }

    public void RemoveAt(int index)
    {
        var item = Value[index];
        Change(ListOp.Remove, index, default, v => v.RemoveAt(index));
        OnRemove(item);
    }

    public void RemoveRange(int index, int count)
    {
        for (int i = 0; i < count; i++) RemoveAt(index);
    }

    public void Clear()
    {
        if (Count == 0 && IsManaged) return;
        Change(ListOp.Clear, 0, default, _ => ImmutableList<T>.Empty);
    }

    public int IndexOf(T item) => Value.IndexOf(item);

    public bool Contains(T item) => Value.Contains(item);

    private void Change(ListOp op, int index, T? item, Func<ImmutableList<T>, ImmutableList<T>> change)
    {
        if (!IsManaged)
        {
            Committed = change(Committed);
            return;
        }
        var log = WriteLog(static c => new LogList<T>(c, ((CollectionList<T>)c).Committed));
        log.Value = change(log.Value);
        log.Record(op, index, item);
    }

    /// <summary>Binds a bean element (lists of beans); nothing for values.</summary>
    private protected virtual void OnAdd(T item) { }

    private protected virtual void OnRemove(T item) { }

    /// <summary>Replaces the committed content while decoding an unmanaged bean.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void SetUnmanaged(ImmutableList<T> items)
    {
        ThrowIfManagedForDecode();
        Committed = items;
    }

    internal override Log CreateChangesLog() => new LogList<T>(this, Value);

    internal override void AddChildChanges(Log collectionLog, Bean child, Log childChanges)
    {
        var log = (LogList<T>)collectionLog;
        int index = child is T t ? log.Value.IndexOf(t, ReferenceEqualityComparer.Instance as IEqualityComparer<T>) : -1;
        if (index >= 0) log.AddChanged(index, childChanges);
    }

    /// <summary>Applies a change log received from elsewhere to this unmanaged list.</summary>
    public void FollowerApply(LogList<T> log, Action<T, Log>? applyElement = null)
    {
        var list = Committed;
        foreach (var op in log.Ops)
        {
            list = op.Op switch
            {
                ListOp.Add => list.Insert(op.Index, Copy(op.Value!)),
                ListOp.Remove => list.RemoveAt(op.Index),
                ListOp.Modify => list.SetItem(op.Index, Copy(op.Value!)),
                _ => ImmutableList<T>.Empty,
            };
        }
        if (applyElement != null)
        {
            foreach (var (index, changes) in log.Changed) applyElement(list[index], changes);
        }
        Committed = list;
    }

    private protected virtual T Copy(T item) => item;

    public override string ToString() => "[" + string.Join(", ", Value) + "]";
}

/// <summary>A list of values (numbers, strings, binary, bean keys, vectors).</summary>
public sealed class CollList1<T> : CollectionList<T> where T : notnull
{
    protected override void InitChildrenRootInfo(Record root) { }
    protected override void ResetChildrenRootInfo() { }
}

/// <summary>A list of beans: each element is bound to the record when added (a bean can be in one place only).</summary>
public sealed class CollList2<T> : CollectionList<T> where T : Bean
{
    private protected override void OnAdd(T item)
    {
        var root = RootRecord;
        if (root != null) item.InitRootInfoWithRedo(root, this);
    }

    private protected override T Copy(T item) => (T)item.CopyBean();

    protected override void InitChildrenRootInfo(Record root)
    {
        foreach (var item in Committed) item.InitRootInfo(root, this);
    }

    protected override void ResetChildrenRootInfo()
    {
        foreach (var item in Committed) item.ResetRootInfo();
    }
}
