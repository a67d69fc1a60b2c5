using System.Diagnostics.CodeAnalysis;

namespace Zeze.Transaction;

/// <summary>
/// The transaction of the running procedure. It flows with the async context: <see cref="Current"/> is set
/// for the whole procedure, including nested procedures, and is null elsewhere.
/// </summary>
public sealed partial class Transaction
{
    private static readonly AsyncLocal<Transaction?> s_current = new();

    /// <summary>The transaction of the procedure running in this async context, or null.</summary>
    public static Transaction? Current => t_committedView == 0 ? s_current.Value : null;

    [ThreadStatic] private static int t_committedView;

    /// <summary>
    /// Within the scope (synchronous code on this thread), beans read their committed values as if no transaction ran:
    /// used when encoding records for the database, which may happen inside any transaction's flow.
    /// </summary>
    internal static CommittedViewScope CommittedView()
    {
        t_committedView++;
        return default;
    }

    internal readonly struct CommittedViewScope : IDisposable
    {
        public void Dispose() => t_committedView--;
    }

    private Application _app = null!;

    public Application Application => _app;

    public TransactionState State { get; private set; }

    /// <summary>Name of the top-level procedure.</summary>
    public string ProcedureName { get; private set; } = "";

    /// <summary>0 on the first attempt, then the number of redos so far.</summary>
    public int Attempt { get; private set; }

    private Transaction() { }

    /// <summary>The current transaction, or an exception explaining that a procedure is required.</summary>
    public static Transaction Require([System.Runtime.CompilerServices.CallerMemberName] string? what = null) =>
        Current ?? throw new InvalidOperationException(
            $"{what} must be called inside a procedure (Application.RunAsync / Procedure.CallAsync); there is no current transaction");

    /// <summary>The transaction a write to a managed bean belongs to; checks that writing is allowed.</summary>
    internal static Transaction RequireForWrite(Bean bean)
    {
        var txn = Current ?? throw new InvalidOperationException(
            $"{bean.GetType().Name} is managed (it belongs to record {bean.RootRecord}): change it only inside a procedure");
        txn.VerifyRecordForWrite(bean);
        return txn;
    }

    // ---- pooling ----

    [ThreadStatic] private static Transaction? t_free;

    internal static Transaction Rent(Application app)
    {
        var txn = t_free;
        if (txn != null) t_free = null;
        else txn = new Transaction();
        txn._app = app;
        txn.State = TransactionState.Running;
        return txn;
    }

    internal static void Return(Transaction txn)
    {
        txn.ResetForReuse();
        txn._app = null!;
        t_free = txn;
    }

    // ---- control flow ----

    /// <summary>Throws unless the transaction is running (a redo or abort was already signalled).</summary>
    public void VerifyRunning()
    {
        if (State != TransactionState.Running)
            ThrowControl(State, $"transaction is {State}");
    }

    /// <summary>Ends this attempt and runs the procedure again from the start.</summary>
    [DoesNotReturn]
    public void ThrowRedo()
    {
        VerifyRunning();
        ThrowControl(TransactionState.Redo, "redo");
    }

    /// <summary>Ends this attempt, releases every lock, waits a short random time and runs the procedure again.</summary>
    [DoesNotReturn]
    public void ThrowRedoAndReleaseLock(string reason)
    {
        VerifyRunning();
        ThrowControl(TransactionState.RedoAndReleaseLock, reason);
    }

    /// <summary>Ends the procedure without retry; it returns <see cref="ResultCode.AbortException"/>.</summary>
    [DoesNotReturn]
    public void ThrowAbort(string reason)
    {
        VerifyRunning();
        ThrowControl(TransactionState.Abort, reason);
    }

    [DoesNotReturn]
    private void ThrowControl(TransactionState state, string reason)
    {
        if (State == TransactionState.Running) State = state;
        throw new TransactionControlException(State, reason);
    }

    // ---- actions ----

    /// <summary>Runs <paramref name="action"/> after the transaction commits (never for a redone attempt).</summary>
    public void WhileCommit(Action action) => AddAction(action, ActionKind.Commit);

    /// <summary>
    /// Runs <paramref name="action"/> if the procedure level that registers it rolls back and the transaction
    /// ends; a nested procedure's rollback action runs however the outer procedure ends.
    /// </summary>
    public void WhileRollback(Action action) => AddAction(action, ActionKind.Rollback);

    private void AddAction(Action action, ActionKind kind)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (State == TransactionState.Completed)
        {
            // Registered by a listener or by another action: runs after the ones registered before.
            if (_acceptingLateActions && (kind == ActionKind.Commit) == _runningCommitActions)
                (_runningActions ??= []).Add(new TransactionAction(action, kind));
            return;
        }
        VerifyRunning();
        if (_savepoints.Count == 0)
            throw new InvalidOperationException("no savepoint: actions can be registered only while a procedure runs");
        _savepoints[^1].AddAction(new TransactionAction(action, kind));
    }

    private List<TransactionAction>? _runningActions;
    private bool _runningCommitActions;
    private bool _acceptingLateActions;

    private void ResetForReuse()
    {
        ClearAttempt();
        _held.Clear();
        _runningActions = null;
        _acceptingLateActions = false;
        _alwaysReleaseLockWhenRedo = false;
        _failures?.Clear();
        ProcedureName = "";
        Attempt = 0;
    }
}
