namespace Zeze.Transaction;

/// <summary>
/// One nesting level of a transaction: the logs written at this level and the commit/rollback actions
/// registered at it. Reads look from the innermost level outwards, so starting a level costs nothing.
/// </summary>
public sealed class Savepoint
{
    internal readonly Dictionary<long, Log> Logs = [];
    internal List<TransactionAction>? Actions;

    /// <summary>Adds or replaces the log for its key at this level.</summary>
    public void PutLog(Log log) => Logs[log.LogKey] = log;

    /// <summary>The log for a key written at this level, if any.</summary>
    public Log? GetLog(long key) => Logs.TryGetValue(key, out var log) ? log : null;

    internal void AddAction(TransactionAction action) => (Actions ??= []).Add(action);

    internal void Clear()
    {
        Logs.Clear();
        Actions?.Clear();
    }
}

internal enum ActionKind
{
    /// <summary>Runs if the whole transaction commits.</summary>
    Commit,

    /// <summary>Runs if the level it was registered at rolls back and the transaction ends in rollback.</summary>
    Rollback,

    /// <summary>A rollback action of a nested level that did roll back: runs however the transaction ends.</summary>
    NestedRollback,
}

internal readonly record struct TransactionAction(Action Action, ActionKind Kind);
