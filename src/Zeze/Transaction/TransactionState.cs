namespace Zeze.Transaction;

public enum TransactionState
{
    /// <summary>Executing the procedure.</summary>
    Running,

    /// <summary>The attempt will be redone (a conflict, or <see cref="Transaction.ThrowRedo"/>).</summary>
    Redo,

    /// <summary>The attempt will be redone after releasing every lock and a short random pause.</summary>
    RedoAndReleaseLock,

    /// <summary>The procedure was aborted (<see cref="Transaction.ThrowAbort"/>): no retry.</summary>
    Abort,

    /// <summary>Committed or rolled back: reads see committed data, writes are refused.</summary>
    Completed,
}

/// <summary>
/// Thrown by <see cref="Transaction.ThrowRedo"/>, <see cref="Transaction.ThrowAbort"/> and friends to unwind the
/// procedure back to the framework. Catching it does not help: the transaction keeps its state and every later
/// access throws again.
/// </summary>
public sealed class TransactionControlException(TransactionState state, string? reason)
    : Exception(reason ?? $"transaction {state}")
{
    public TransactionState State { get; } = state;
}
