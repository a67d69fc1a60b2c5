using Microsoft.Extensions.Logging;

namespace Zeze.Transaction;

// Running procedures: the top-level retry loop and the nested call with its savepoint.
public sealed partial class Transaction
{
    private List<(string Name, long Code, Exception? Error)>? _failures;

    /// <summary>
    /// Runs a procedure: nested in the current transaction if there is one (of the same application and still
    /// running), else as a new top-level transaction.
    /// </summary>
    internal static ValueTask<long> RunAsync<TState>(Application app, Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
    {
        var current = Current;
        if (current != null && current.State != TransactionState.Completed)
        {
            if (!ReferenceEquals(current._app, app))
                throw new InvalidOperationException(
                    $"procedure '{name}' of another application was called inside a transaction of '{current._app.Name}'");
            return current.CallNestedAsync(action, state, name);
        }
        if (level == TransactionLevel.None)
            return RunWithoutTransactionAsync(action, state, name, app);
        return RunTopLevelAsync(app, action, state, name, level);
    }

    private static async ValueTask<long> RunWithoutTransactionAsync<TState>(Func<TState, ValueTask<long>> action, TState state, string name, Application app)
    {
        try
        {
            return await action(state);
        }
        catch (Exception e)
        {
            app.Log.ProcedureException(name, e);
            return e is OperationCanceledException ? ResultCode.CancelException : ResultCode.Exception;
        }
    }

    private static async ValueTask<long> RunTopLevelAsync<TState>(Application app, Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
    {
        var txn = Rent(app);
        // Set inside this async method: the change is undone for the caller when the method returns.
        s_current.Value = txn;
        try
        {
            return await txn.PerformAsync(action, state, name, level);
        }
        finally
        {
            Return(txn);
        }
    }

    /// <summary>A procedure at any level: its own savepoint; a failure rolls back only this level.</summary>
    private async ValueTask<long> CallNestedAsync<TState>(Func<TState, ValueTask<long>> action, TState state, string name)
    {
        BeginSavepoint();
        int level = _savepoints.Count;
        long rc;
        try
        {
            rc = await action(state);
            VerifyRunning(); // a swallowed redo/abort must not commit
        }
        catch (TransactionControlException)
        {
            RollbackTo(level - 1);
            throw;
        }
        catch (Exception e)
        {
            RollbackTo(level - 1);
            VerifyRunning();
            rc = e is OperationCanceledException ? ResultCode.CancelException : ResultCode.Exception;
            (_failures ??= []).Add((name, rc, e));
            return rc;
        }
        if (_savepoints.Count != level)
        {
            // The procedure opened savepoints of its own and left them open.
            RollbackTo(level - 1);
            (_failures ??= []).Add((name, ResultCode.ErrorSavepoint, null));
            return ResultCode.ErrorSavepoint;
        }
        if (rc == 0)
        {
            CommitSavepoint();
            return 0;
        }
        RollbackTo(level - 1);
        (_failures ??= []).Add((name, rc, null));
        return rc;
    }

    private void RollbackTo(int count)
    {
        while (_savepoints.Count > count) RollbackSavepoint();
    }

    private async ValueTask<long> PerformAsync<TState>(Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
    {
        var app = _app;
        if (!app.AcceptsProcedures) return ResultCode.Closed;
        ProcedureName = name;
        var metrics = app.Metrics;
        metrics.Procedures.Add(1);
        int maxAttempts = app.Options.MaxAttempts;
        int runningToken = app.EnterProcedure();
        try
        {
            for (int attempt = 0; attempt < maxAttempts; attempt++)
            {
                Attempt = attempt;
                CheckResult check;
                try
                {
                    long rc = await CallNestedAsync(action, state, name);
                    switch (State)
                    {
                        case TransactionState.Running:
                            if ((rc == 0 && _savepoints.Count != 1) || (rc != 0 && _savepoints.Count != 0))
                            {
                                FinalRollback();
                                return ResultCode.ErrorSavepoint;
                            }
                            check = await LockAndCheckAsync(level);
                            if (check == CheckResult.Abort)
                            {
                                FinalRollback();
                                return ResultCode.AbortException;
                            }
                            if (check == CheckResult.Success)
                            {
                                if (rc == 0) return await FinalCommitAsync();
                                FinalRollback();
                                return rc;
                            }
                            break;
                        case TransactionState.Abort:
                            FinalRollback();
                            return ResultCode.AbortException;
                        case TransactionState.Redo:
                            check = CheckResult.Redo;
                            break;
                        case TransactionState.RedoAndReleaseLock:
                            check = CheckResult.RedoAndReleaseLock;
                            break;
                        default:
                            throw new InvalidOperationException($"unexpected transaction state {State}");
                    }
                }
                catch (TransactionControlException)
                {
                    switch (State)
                    {
                        case TransactionState.Abort:
                            FinalRollback();
                            return ResultCode.AbortException;
                        case TransactionState.Redo:
                            check = CheckResult.Redo;
                            break;
                        case TransactionState.RedoAndReleaseLock:
                            check = CheckResult.RedoAndReleaseLock;
                            break;
                        default:
                            throw;
                    }
                }
                if (attempt + 1 == maxAttempts)
                {
                    // The last attempt also ended in a redo: it is a terminal failure, so its rollback actions run.
                    State = TransactionState.Running;
                    FinalRollback();
                    app.Log.TooManyTry(name, maxAttempts);
                    return ResultCode.TooManyTry;
                }
                if (_alwaysReleaseLockWhenRedo && check == CheckResult.Redo)
                    check = CheckResult.RedoAndReleaseLock;
                PrepareRedo();
                if (check == CheckResult.RedoAndReleaseLock)
                {
                    metrics.RedoAndRelease.Add(1);
                    ReleaseAllLocks();
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 100)), app.TimeProvider);
                }
                else
                {
                    metrics.Redo.Add(1);
                }
                Interlocked.Increment(ref metrics._redo);
                app.Scheduler.ReportContention();
            }
            return ResultCode.TooManyTry; // not reached: the last attempt returns above
        }
        catch (Exception e)
        {
            // Only framework failures get here (user exceptions become result codes in CallNestedAsync).
            app.Log.ProcedureFrameworkError(name, e);
            if (State != TransactionState.Completed) FinalRollback();
            return ResultCode.Exception;
        }
        finally
        {
            ReleaseAllLocks();
            State = TransactionState.Completed;
            app.ExitProcedure(runningToken);
        }
    }

    /// <summary>Makes the next attempt start from nothing (locks are kept unless released by the caller).</summary>
    private void PrepareRedo()
    {
        if (_redoBeans is { Count: > 0 } beans)
        {
            foreach (var b in beans) b.ResetRootInfo();
        }
        ClearAttempt();
        _failures?.Clear();
        State = TransactionState.Running;
    }

    /// <summary>Ends the transaction without applying anything and runs the rollback actions.</summary>
    private void FinalRollback()
    {
        ClearFresh();
        // Rollback actions of the outermost level that was still open, then those kept by RollbackSavepoint.
        RollbackTo(0);
        var actions = _finalRollbackActions;
        _finalRollbackActions = null;
        ClearAttempt();
        State = TransactionState.Completed;
        _app.Metrics.Rollbacks.Add(1);
        LogFailures();
        if (actions is { Count: > 0 })
            RunActions(actions, commit: false);
    }

    private void LogFailures()
    {
        if (_failures is not { Count: > 0 } failures) return;
        foreach (var (name, code, error) in failures)
        {
            if (error != null) _app.Log.ProcedureException(name, error);
            else if (ResultCode.NameOf(code) is { } framework) _app.Log.ProcedureReturned(LogLevel.Information, name, code, framework);
            else _app.Log.ProcedureReturned(LogLevel.Debug, name, code, "application code");
        }
        failures.Clear();
    }

    private void RunActions(List<TransactionAction> actions, bool commit)
    {
        _runningActions = actions;
        _runningCommitActions = commit;
        _acceptingLateActions = true;
        try
        {
            // Actions may register more actions of the same kind: they are appended and run afterwards.
            for (int i = 0; i < actions.Count; i++)
            {
                try
                {
                    actions[i].Action();
                }
                catch (Exception e)
                {
                    _app.Log.ActionException(ProcedureName, e);
                }
            }
        }
        finally
        {
            _runningActions = null;
            _acceptingLateActions = false;
        }
    }

    internal enum CheckResult
    {
        Success,
        Redo,
        RedoAndReleaseLock,

        /// <summary>The global cache manager refused because a reduce failed elsewhere: no retry.</summary>
        Abort,

        /// <summary>Internal: a Modify upgrade is in flight.</summary>
        Upgrading,
    }
}
