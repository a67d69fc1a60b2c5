using System.Runtime.CompilerServices;

namespace Zeze.Transaction;

// Savepoints and log access. Each nesting level keeps only its own logs; a read looks from the innermost
// level outwards, so a nested procedure starts in O(1) and merges its logs into its parent when it commits.
public sealed partial class Transaction
{
    private readonly List<Savepoint> _savepoints = [];
    private readonly Stack<Savepoint> _freeSavepoints = new();

    /// <summary>Number of nesting levels open.</summary>
    public int SavepointCount => _savepoints.Count;

    /// <summary>Opens a nesting level. Every level must end with <see cref="CommitSavepoint"/> or <see cref="RollbackSavepoint"/>.</summary>
    public void BeginSavepoint()
    {
        VerifyRunning();
        _savepoints.Add(_freeSavepoints.Count > 0 ? _freeSavepoints.Pop() : new Savepoint());
    }

    /// <summary>Merges the innermost level into its parent (the outermost level is committed by the framework).</summary>
    public void CommitSavepoint()
    {
        int n = _savepoints.Count;
        if (n <= 1) return;
        var child = _savepoints[n - 1];
        var parent = _savepoints[n - 2];
        _savepoints.RemoveAt(n - 1);
        foreach (var log in child.Logs.Values)
            log.EndSavepoint(parent);
        if (child.Actions is { Count: > 0 } actions)
        {
            foreach (var a in actions) parent.AddAction(a);
        }
        Free(child);
    }

    /// <summary>Drops the innermost level's changes.</summary>
    public void RollbackSavepoint()
    {
        int n = _savepoints.Count;
        if (n == 0) return;
        var child = _savepoints[n - 1];
        _savepoints.RemoveAt(n - 1);
        if (child.Actions is { Count: > 0 } actions)
        {
            if (n > 1)
            {
                // The inner rollback definitely happened: its compensations run however the outer ends.
                var parent = _savepoints[n - 2];
                foreach (var a in actions)
                {
                    if (a.Kind != ActionKind.Commit)
                        parent.AddAction(a with { Kind = ActionKind.NestedRollback });
                }
            }
            else
            {
                _finalRollbackActions ??= [];
                foreach (var a in actions)
                {
                    if (a.Kind != ActionKind.Commit) _finalRollbackActions.Add(a);
                }
            }
        }
        Free(child);
    }

    /// <summary>Rollback actions of the outermost level, kept for the final rollback.</summary>
    private List<TransactionAction>? _finalRollbackActions;

    private void Free(Savepoint sp)
    {
        sp.Clear();
        _freeSavepoints.Push(sp);
    }

    /// <summary>The newest log for a key, looking from the innermost level outwards.</summary>
    public Log? GetLog(long key)
    {
        for (int i = _savepoints.Count - 1; i >= 0; i--)
        {
            if (_savepoints[i].Logs.TryGetValue(key, out var log)) return log;
        }
        return null;
    }

    /// <summary>Adds or replaces a log in the innermost level.</summary>
    public void PutLog(Log log)
    {
        VerifyRunning();
        _savepoints[^1].PutLog(log);
    }

    /// <summary>
    /// The log of a collection (or other mutable log) to change in the innermost level: the one already there,
    /// else a copy of the newest outer one (<see cref="Log.BeginSavepoint"/>) put into the innermost level, else null.
    /// </summary>
    public Log? GetLogForUpdate(long key)
    {
        int top = _savepoints.Count - 1;
        if (_savepoints[top].Logs.TryGetValue(key, out var log)) return log;
        for (int i = top - 1; i >= 0; i--)
        {
            if (_savepoints[i].Logs.TryGetValue(key, out var outer))
            {
                var copy = outer.BeginSavepoint();
                _savepoints[top].PutLog(copy);
                return copy;
            }
        }
        return null;
    }

    /// <summary>
    /// The log of field <paramref name="variableId"/> of managed <paramref name="bean"/> for a read, or null to
    /// read the committed field. Registers the bean's record as read by this transaction if it was not yet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Log? GetFieldLog(Bean bean, int variableId)
    {
        if (State != TransactionState.Running)
        {
            if (State == TransactionState.Completed) return null; // logs are applied: committed fields are current
            VerifyRunning();
        }
        var record = bean.RootRecord!;
        if (!ReferenceEquals(record, _lastRecord)) EnsureReadAccess(record);
        if (_savepoints.Count == 1)
            return _savepoints[0].Logs.TryGetValue(bean.ObjectId + variableId, out var log) ? log : null;
        return GetLog(bean.ObjectId + variableId);
    }

    /// <summary>Checks a write to a managed bean: its record must be the one this transaction accessed.</summary>
    internal void VerifyRecordForWrite(Bean bean)
    {
        VerifyRunning();
        var record = bean.RootRecord!;
        if (record.State == RecordState.Removed)
            ThrowRedo(); // the cached record was evicted: this bean is stale
        if (ReferenceEquals(record, _lastRecord)) return;
        var ra = FindAccessedByKey(record);
        if (ra == null)
            throw new InvalidOperationException(
                $"record {record} is not controlled by the current transaction: read it through its table in this procedure before changing beans obtained earlier");
        if (!ReferenceEquals(ra.Record, record))
            throw new InvalidOperationException($"record {record} was reloaded since this bean was read: read it again through its table");
        _lastRecord = record;
    }
}
