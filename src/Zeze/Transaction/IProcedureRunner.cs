namespace Zeze.Transaction;

/// <summary>
/// Runs work as a top-level procedure (a transaction with automatic redo) at a given level.
/// The application implements it; the network layer uses it to run protocol handlers.
/// </summary>
public interface IProcedureRunner
{
    /// <summary>
    /// Runs <paramref name="action"/>(<paramref name="state"/>) as a procedure named <paramref name="name"/>.
    /// With <see cref="TransactionLevel.None"/> the action runs directly. Returns the result code
    /// (0 success, &lt;0 framework codes, &gt;0 application codes); exceptions become result codes.
    /// </summary>
    ValueTask<long> RunAsync<TState>(Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level);
}
