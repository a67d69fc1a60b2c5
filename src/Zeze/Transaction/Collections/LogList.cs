using System.Collections.Immutable;

namespace Zeze.Transaction.Collections;

/// <summary>What a list operation did, for change notifications.</summary>
public enum ListOp
{
    Modify,
    Add,
    Remove,
    Clear,
}

/// <summary>One list operation: at <see cref="Index"/>, with <see cref="Value"/> for add and modify.</summary>
public readonly record struct ListOpLog<T>(ListOp Op, int Index, T? Value);

/// <summary>The pending version of a list plus the operations that produced it.</summary>
public sealed class LogList<T> : Log
{
    internal LogList(CollectionBean list, ImmutableList<T> value) : base(list, list.VariableId) => Value = value;

    public ImmutableList<T> Value { get; internal set; }

    private List<ListOpLog<T>>? _ops;
    private List<(int Index, Log Changes)>? _changed;

    /// <summary>The operations in order (replay them on the old list to get the new one).</summary>
    public IReadOnlyList<ListOpLog<T>> Ops => (IReadOnlyList<ListOpLog<T>>?)_ops ?? [];

    /// <summary>For lists of beans: elements (by index in the new list) whose fields changed.</summary>
    public IReadOnlyList<(int Index, Log Changes)> Changed => (IReadOnlyList<(int, Log)>?)_changed ?? [];

    public override long LogKey => Belong!.ObjectId;

    internal void Record(ListOp op, int index, T? value)
    {
        if (op == ListOp.Clear) (_ops ??= []).Clear();
        (_ops ??= []).Add(new ListOpLog<T>(op, index, value));
    }

    internal void AddChanged(int index, Log changes)
    {
        // An element added or set in this transaction is replayed whole by its operation.
        if (_ops != null)
        {
            var element = Value[index];
            foreach (var op in _ops)
            {
                if (ReferenceEquals(op.Value, element)) return;
            }
        }
        (_changed ??= []).Add((index, changes));
    }

    public override void Commit() => ((CollectionList<T>)Belong!).Committed = Value;

    public override Log BeginSavepoint() => new LogList<T>((CollectionBean)Belong!, Value);

    public override void EndSavepoint(Savepoint parent)
    {
        if (parent.GetLog(LogKey) is LogList<T> p)
        {
            p.Value = Value;
            if (_ops != null)
            {
                if (_ops.Count > 0 && _ops[0].Op == ListOp.Clear) p._ops?.Clear();
                (p._ops ??= []).AddRange(_ops);
            }
        }
        else
        {
            parent.PutLog(this);
        }
    }

    public override string ToString() => $"List({Ops.Count} ops, {Value.Count} items)";
}
