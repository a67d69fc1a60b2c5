namespace Zeze.Transaction;

/// <summary>One record's change in one committed transaction, given to the table's listeners.</summary>
public sealed class ChangeRecord
{
    internal ChangeRecord(Table table, object key, ChangeKind kind, Bean? value, BeanChanges? changes)
    {
        Table = table;
        Key = key;
        Kind = kind;
        Value = value;
        Changes = changes;
    }

    public Table Table { get; }
    public object Key { get; }
    public ChangeKind Kind { get; }

    /// <summary>Put: the new value; Remove: the value before; Edit: the value (now holding the new state).</summary>
    public Bean? Value { get; }

    /// <summary>For <see cref="ChangeKind.Edit"/>: the changes of the value's fields, as a tree.</summary>
    public BeanChanges? Changes { get; }

    public override string ToString() => $"{Table.Name}[{Key}] {Kind}";
}

/// <summary>
/// The changes of one bean in a transaction: per field id, the field's log — a field write (<see cref="Log{T}"/>),
/// a collection log with its added/removed/replaced entries, or the <see cref="BeanChanges"/> of a nested bean.
/// Apply it to a copy of the old value with <see cref="Bean.FollowerApply"/> to get the new value.
/// </summary>
public sealed class BeanChanges : Log
{
    private readonly Dictionary<int, Log> _variables = [];

    internal BeanChanges(Bean bean) : base(bean, bean.VariableId) { }

    /// <summary>The changed fields by id.</summary>
    public IReadOnlyDictionary<int, Log> Variables => _variables;

    /// <summary>The log of one field, or null if it did not change.</summary>
    public Log? GetVariableLog(int variableId) => _variables.TryGetValue(variableId, out var log) ? log : null;

    internal void Set(int variableId, Log log)
    {
        // A field replaced in this transaction carries its whole new value: inner changes add nothing to it.
        if (log is BeanChanges && _variables.TryGetValue(variableId, out var existing) && existing is not BeanChanges) return;
        _variables[variableId] = log;
    }

    internal Log? Get(int variableId) => _variables.TryGetValue(variableId, out var log) ? log : null;

    public override long LogKey => Belong!.ObjectId;

    public override void Commit() { } // a notification, never committed

    public override string ToString() => $"Changes({Belong!.GetType().Name}: {string.Join(", ", _variables.Values)})";
}
