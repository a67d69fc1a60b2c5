namespace Zeze.Transaction;

// Validation and commit. Locks are taken only here, in the global record order, and kept across a redo
// (lock retention) so that the next attempt almost surely succeeds.
public sealed partial class Transaction
{
    private readonly List<HeldLock> _held = [];
    private bool _alwaysReleaseLockWhenRedo;
    private int _dirtyCount;

    private readonly record struct HeldLock(Record Record, bool Write);

    /// <summary>Marks the accessed records written by the surviving logs. Returns how many are dirty.</summary>
    private int MarkDirty()
    {
        if (_savepoints.Count != 1) return 0; // a failed procedure has no logs left
        int dirty = 0;
        foreach (var log in _savepoints[0].Logs.Values)
        {
            var record = log.OwnerRecord;
            if (record == null) continue;
            var ra = ReferenceEquals(record, _lastRecord) && _accessedCount == 1 ? _accessed[0] : FindAccessed(record);
            if (ra == null)
            {
                _app.Log.LogWithoutAccess(record.ToString(), log.ToString());
                continue;
            }
            if (!ra.Dirty)
            {
                ra.Dirty = true;
                dirty++;
            }
        }
        _dirtyCount = dirty;
        return dirty;
    }

    // Loop state of LockAndCheck, kept in fields so that the loop can continue asynchronously after a lock wait.
    private int _lockNext;
    private int _lockHeld;
    private bool _lockConflict;
    private ValueTask _lockWait;

    /// <summary>
    /// Locks every accessed record in the global order (write locks for written ones) and validates the snapshots.
    /// Completes synchronously when no lock has to be waited for.
    /// </summary>
    private ValueTask<CheckResult> LockAndCheckAsync(TransactionLevel level)
    {
        int dirty = MarkDirty();
        if (dirty == 0 && level == TransactionLevel.AllowDirtyWhenAllRead)
            return new ValueTask<CheckResult>(CheckResult.Success);
        SortAccessed();
        _lockNext = 0;
        _lockHeld = 0;
        _lockConflict = false;
        var result = ContinueLocking(out bool mustWait);
        return mustWait ? LockAndCheckSlowAsync() : new ValueTask<CheckResult>(result);
    }

    private async ValueTask<CheckResult> LockAndCheckSlowAsync()
    {
        _app.Scheduler.ReportContention();
        while (true)
        {
            await _lockWait;
            _lockWait = default;
            // The lock of _accessed[_lockNext] is now held.
            var ra = _accessed[_lockNext];
            _held.Add(new HeldLock(ra.Record, ra.Dirty));
            _lockHeld++;
            _lockNext++;
            var r = Check(ra, ra.Dirty);
            if (r == CheckResult.RedoAndReleaseLock) return r;
            if (r == CheckResult.Redo) _lockConflict = true;
            var result = ContinueLocking(out bool mustWait);
            if (!mustWait) return result;
        }
    }

    /// <summary>
    /// Runs the lock-and-check loop from where it stopped. Returns with <paramref name="mustWait"/> set when a lock
    /// is not free (the wait is in <see cref="_lockWait"/>); otherwise returns the result.
    /// </summary>
    private CheckResult ContinueLocking(out bool mustWait)
    {
        var held = _held;
        int h = _lockHeld;
        for (int e = _lockNext; e < _accessedCount; e++)
        {
            var ra = _accessed[e];
            var record = ra.Record;
            bool write = ra.Dirty;
            // Drop retained locks that sort before this record (no longer needed), and every retained lock
            // after it if the next one is not this very record (keeping them would break the lock order).
            while (h < held.Count)
            {
                var hl = held[h];
                if (ReferenceEquals(hl.Record, record)) break;
                if (Record.Compare(hl.Record, record) < 0)
                {
                    hl.Record.Exit(hl.Write);
                    held.RemoveAt(h);
                    continue;
                }
                ReleaseFrom(h);
                break;
            }
            if (h < held.Count)
            {
                // Already held from the previous attempt.
                if (!write || held[h].Write)
                {
                    var r = Check(ra, write);
                    if (r == CheckResult.RedoAndReleaseLock)
                    {
                        mustWait = false;
                        return r;
                    }
                    if (r == CheckResult.Redo) _lockConflict = true;
                    h++;
                    continue;
                }
                ReleaseFrom(h); // read held, write needed: upgrade by releasing and locking again in order
            }
            if (!record.TryEnter(write))
            {
                _lockWait = record.EnterAsync(write);
                if (!_lockWait.IsCompleted)
                {
                    _lockNext = e;
                    _lockHeld = h;
                    mustWait = true;
                    return default;
                }
                _lockWait.GetAwaiter().GetResult();
                _lockWait = default;
            }
            held.Add(new HeldLock(record, write));
            h++;
            var result = Check(ra, write);
            if (result == CheckResult.RedoAndReleaseLock)
            {
                mustWait = false;
                return result;
            }
            if (result == CheckResult.Redo) _lockConflict = true; // keep locking: the redo will need these too
        }
        ReleaseFrom(h);
        mustWait = false;
        return _lockConflict ? CheckResult.Redo : CheckResult.Success;
    }

    private CheckResult Check(RecordAccessed ra, bool write)
    {
        var record = ra.Record;
        int state = record.State;
        if (state == RecordState.Removed) return CheckResult.Redo;
        if (state == RecordState.Invalid) return CheckResult.RedoAndReleaseLock;
        if (write && state == RecordState.Share)
        {
            if (!record.Table.TryUpgradeToModify(record)) return CheckResult.RedoAndReleaseLock;
        }
        return ra.Timestamp != record.Timestamp ? CheckResult.Redo : CheckResult.Success;
    }

    private void ReleaseFrom(int index)
    {
        var held = _held;
        for (int i = held.Count - 1; i >= index; i--)
        {
            held[i].Record.Exit(held[i].Write);
            held.RemoveAt(i);
        }
    }

    private void ReleaseAllLocks() => ReleaseFrom(0);

    /// <summary>
    /// Applies the validated transaction: merges relative record sets, applies the logs, bumps timestamps and
    /// versions, notifies listeners, releases the locks, runs commit actions, and for tables flushed on commit
    /// waits until the database confirms.
    /// </summary>
    private ValueTask<long> FinalCommitAsync()
    {
        var sp = _savepoints[0];
        var metrics = _app.Metrics;
        FlushTicket? ticket = null;
        if (_dirtyCount > 0)
        {
            var checkpoint = _app.Checkpoint;
            ticket = checkpoint.Commit(this, _accessed, _accessedCount, sp);
        }
        else
        {
            State = TransactionState.Completed;
        }
        var actions = CollectCommitActions(sp);
        if (_dirtyCount > 0)
        {
            // Listeners run while the record locks are still held, so the values they read are exactly this
            // commit's. Commit actions they register run after the procedure's own.
            _runningActions = actions;
            _runningCommitActions = true;
            _acceptingLateActions = true;
            _app.Listeners.Notify(this, _accessed, _accessedCount, sp);
            actions = _runningActions;
            _runningActions = null;
            _acceptingLateActions = false;
        }
        ReleaseAllLocks();
        metrics.Commits.Add(1);
        LogFailures(); // nested procedures that failed but did not fail the transaction
        ClearAttempt();
        if (actions != null) RunActions(actions, commit: true);
        if (ticket == null || ticket.Done.IsCompleted) return new ValueTask<long>(0);
        return WaitDurableAsync(ticket);
    }

    private async ValueTask<long> WaitDurableAsync(FlushTicket ticket) =>
        await _app.Checkpoint.WaitDurableAsync(ticket) ? 0 : ResultCode.NotDurable;

    /// <summary>Applies the logs of the committing transaction. Called by the checkpoint under the set locks.</summary>
    internal void ApplyLogs(Savepoint sp)
    {
        foreach (var log in sp.Logs.Values)
            log.Commit();
        for (int i = 0; i < _accessedCount; i++)
        {
            var ra = _accessed[i];
            if (!ra.Dirty) continue;
            var record = ra.Record;
            if (record.Value is { } value && value.VersionVariableId != 0)
                value.SetVersionOnCommit((ra.Value?.GetVersionOnCommit() ?? 0) + 1);
            record.DirtyVersion++;
            record.Timestamp = record.Timestamp + 1; // after the value: readers take the timestamp first
        }
        State = TransactionState.Completed;
    }

    private static List<TransactionAction>? CollectCommitActions(Savepoint sp)
    {
        if (sp.Actions is not { Count: > 0 } actions) return null;
        List<TransactionAction>? result = null;
        foreach (var a in actions)
        {
            if (a.Kind != ActionKind.Rollback) (result ??= []).Add(a);
        }
        return result;
    }

    /// <summary>
    /// True when the transaction may wait for <paramref name="record"/>'s lock now, during execution: every lock it
    /// holds sorts before the record, so waiting keeps the global lock order (no deadlock).
    /// </summary>
    internal bool CanLockEarly(Record record) =>
        !_alwaysReleaseLockWhenRedo && (_held.Count == 0 || Record.Compare(_held[^1].Record, record) < 0);

    /// <summary>Records a lock taken during execution (see <see cref="CanLockEarly"/>); validation reuses it.</summary>
    internal void AddEarlyLock(Record record) => _held.Add(new HeldLock(record, true));

    /// <summary>
    /// Called when the transaction reads a record out of order (for example <c>SelectCopy</c> of a record it did
    /// not access) while holding retained locks: from now on every redo releases all locks.
    /// </summary>
    internal void SetAlwaysReleaseLockWhenRedo()
    {
        _alwaysReleaseLockWhenRedo = true;
        if (_held.Count > 0) ThrowRedo();
    }
}
