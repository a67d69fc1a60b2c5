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
        if (!_upgrading) _app.Scheduler.ReportContention();
        while (true)
        {
            CheckResult r;
            if (_upgrading)
            {
                // The global cache manager answered the upgrade of _upgradeRa (whose lock is held).
                var answer = await _upgradeWait;
                _upgradeWait = default;
                _upgrading = false;
                r = FinishUpgrade(_upgradeRa!, answer);
                _upgradeRa = null;
            }
            else
            {
                await _lockWait;
                _lockWait = default;
                // The lock of _accessed[_lockNext] is now held.
                var ra = _accessed[_lockNext];
                _held.Add(new HeldLock(ra.Record, ra.Dirty));
                _lockHeld++;
                _lockNext++;
                var checkOrUpgrade = Check(ra, ra.Dirty);
                if (checkOrUpgrade == CheckResult.Upgrading) continue;
                r = checkOrUpgrade;
            }
            if (r is CheckResult.RedoAndReleaseLock or CheckResult.Abort) return r;
            if (r == CheckResult.Redo) _lockConflict = true;
            var result = ContinueLocking(out bool mustWait);
            if (!mustWait) return result;
        }
    }

    // A Modify upgrade in flight (with a global cache).
    private bool _upgrading;
    private RecordAccessed? _upgradeRa;
    private ValueTask<Services.GlobalCache.AcquireResult> _upgradeWait;

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
                    h++;
                    var r = Check(ra, write);
                    if (r == CheckResult.Upgrading)
                    {
                        _lockNext = e + 1;
                        _lockHeld = h;
                        mustWait = true;
                        return default;
                    }
                    if (r is CheckResult.RedoAndReleaseLock or CheckResult.Abort)
                    {
                        mustWait = false;
                        return r;
                    }
                    if (r == CheckResult.Redo) _lockConflict = true;
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
            if (result == CheckResult.Upgrading)
            {
                _lockNext = e + 1;
                _lockHeld = h;
                mustWait = true;
                return default;
            }
            if (result is CheckResult.RedoAndReleaseLock or CheckResult.Abort)
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

    /// <summary>
    /// Validates one locked record. A write to a record held in Share needs Modify from the global cache manager:
    /// the request is started and <see cref="CheckResult.Upgrading"/> returned (the caller awaits it).
    /// </summary>
    private CheckResult Check(RecordAccessed ra, bool write)
    {
        var record = ra.Record;
        int state = record.State;
        if (state == RecordState.Removed) return CheckResult.Redo;
        if (state == RecordState.Invalid)
        {
            if (Zeze.Diagnostics.CoherenceTrace.Enabled) Zeze.Diagnostics.CoherenceTrace.Add(record, Zeze.Diagnostics.CoherenceTrace.Kind.Check, state, write ? 1 : 0);
            _app.Metrics.GlobalRedone(); // only a reduce or a local release makes a cached record Invalid
            return CheckResult.RedoAndReleaseLock;
        }
        if (write && state == RecordState.Share)
        {
            if (_app.GlobalAgent is not { } agent)
            {
                record.State = RecordState.Modify;
            }
            else
            {
                var upgrade = agent.AcquireAsync(record.GlobalKey, Services.GlobalCache.GlobalState.Modify, _app.IsFresh(record));
                if (upgrade.IsCompletedSuccessfully) return FinishUpgrade(ra, upgrade.Result);
                _upgradeRa = ra;
                _upgradeWait = upgrade;
                _upgrading = true;
                return CheckResult.Upgrading;
            }
        }
        return ra.Timestamp != record.Timestamp ? CheckResult.Redo : CheckResult.Success;
    }

    private CheckResult FinishUpgrade(RecordAccessed ra, Services.GlobalCache.AcquireResult answer)
    {
        var record = ra.Record;
        _app.Metrics.GlobalAcquired(Services.GlobalCache.GlobalState.Modify, answer.State == Services.GlobalCache.GlobalState.Modify);
        if (Zeze.Diagnostics.CoherenceTrace.Enabled) Zeze.Diagnostics.CoherenceTrace.Add(record, Zeze.Diagnostics.CoherenceTrace.Kind.UpgradeAnswer, answer.State, answer.ResultCode * 1000 + (ra.Timestamp == record.Timestamp ? 1 : 0));
        if (answer.State == Services.GlobalCache.GlobalState.Modify)
        {
            record.State = RecordState.Modify;
            return ra.Timestamp != record.Timestamp ? CheckResult.Redo : CheckResult.Success;
        }
        // Refused (a deadlock with another upgrade, a fresh holder, ...): give the copy up and retry without locks;
        // a failed reduce elsewhere aborts instead.
        record.FreshUntil = 0;
        record.State = RecordState.Invalid;
        if (!Services.GlobalCache.GlobalResultCode.IsRedo(answer.ResultCode)) return CheckResult.Abort;
        _app.Metrics.GlobalRedone();
        return CheckResult.RedoAndReleaseLock;
    }

    /// <summary>A record is fresh only until the transaction that acquired it ends (it has been used).</summary>
    private void ClearFresh()
    {
        if (_app.GlobalAgent == null) return;
        for (int i = 0; i < _accessedCount; i++) _accessed[i].Record.FreshUntil = 0;
    }

    private void ClearFreshAndNoteWrites()
    {
        if (_app.GlobalAgent == null) return;
        for (int i = 0; i < _accessedCount; i++)
        {
            var ra = _accessed[i];
            ra.Record.FreshUntil = 0;
            ra.Record.WriteExpected = ra.Dirty;
        }
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
        ClearFreshAndNoteWrites();
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
        !_alwaysReleaseLockWhenRedo && _app.GlobalAgent == null // with a global cache, waits may span servers
        && (_held.Count == 0 || Record.Compare(_held[^1].Record, record) < 0);

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
