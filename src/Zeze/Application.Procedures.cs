using Zeze.Transaction;

namespace Zeze;

// Running procedures. Inside a procedure, the same calls run nested procedures (with their own savepoint).
public sealed partial class Application
{
    private static readonly Func<Func<ValueTask<long>>, ValueTask<long>> s_invokeAsync = static f => f();
    private static readonly Func<Func<long>, ValueTask<long>> s_invokeSync = static f => new ValueTask<long>(f());

    /// <summary>
    /// Runs <paramref name="action"/> as a procedure: a new transaction at top level (retried on conflict, committed
    /// when it returns 0), or a nested procedure inside a running one (rolled back alone when it fails).
    /// Returns 0 on success, the procedure's non-zero code, or a framework code (<see cref="ResultCode"/>).
    /// </summary>
    public ValueTask<long> RunAsync(Func<ValueTask<long>> action, string name = "", TransactionLevel level = TransactionLevel.Serializable)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Transaction.Transaction.RunAsync(this, s_invokeAsync, action, name, level);
    }

    /// <summary>As <see cref="RunAsync(Func{ValueTask{long}}, string, TransactionLevel)"/> for a synchronous procedure.</summary>
    public ValueTask<long> RunAsync(Func<long> action, string name = "", TransactionLevel level = TransactionLevel.Serializable)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Transaction.Transaction.RunAsync(this, s_invokeSync, action, name, level);
    }

    /// <summary>As <see cref="RunAsync(Func{ValueTask{long}}, string, TransactionLevel)"/>, passing a state (no closure needed).</summary>
    public ValueTask<long> RunAsync<TState>(Func<TState, ValueTask<long>> action, TState state, string name = "", TransactionLevel level = TransactionLevel.Serializable)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Transaction.Transaction.RunAsync(this, action, state, name, level);
    }

    ValueTask<long> IProcedureRunner.RunAsync<TState>(Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
        => RunAsync(action, state, name, level);

    /// <summary>
    /// Starts a new top-level procedure on the thread pool, independent of any procedure running now (it does not
    /// join the current transaction). Use it to start work from inside a procedure or a listener.
    /// </summary>
    public Task<long> ExecuteAsync(Func<ValueTask<long>> action, string name = "", TransactionLevel level = TransactionLevel.Serializable)
    {
        ArgumentNullException.ThrowIfNull(action);
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => RunAsync(action, name, level).AsTask());
        }
    }

    /// <summary>A reusable procedure object (the same as calling <see cref="RunAsync(Func{ValueTask{long}}, string, TransactionLevel)"/>).</summary>
    public Procedure NewProcedure(Func<ValueTask<long>> action, string name = "", TransactionLevel level = TransactionLevel.Serializable)
    {
        if (!IsRunning) throw new InvalidOperationException($"application '{Name}' is {StateName}: procedures can be created only while it runs");
        return new Procedure(this, action, name, level);
    }
}
