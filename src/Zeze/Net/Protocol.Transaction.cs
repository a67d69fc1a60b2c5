namespace Zeze.Net;

// Sending tied to the outcome of the current transaction: a procedure may be redone or roll back, so a
// message that announces its effects must leave only once they are committed.
public abstract partial class Protocol
{
    /// <summary>
    /// Sends on <paramref name="socket"/> after the current transaction commits (never for an attempt that is
    /// redone or rolls back); outside a procedure, sends at once. The send's own result is not reported.
    /// </summary>
    public void SendWhenCommit(AsyncSocket? socket)
    {
        var txn = Transaction.Transaction.Current;
        if (txn == null) Send(socket);
        else txn.WhileCommit(() => Send(socket));
    }

    /// <summary>Sends on <paramref name="socket"/> only if the current procedure rolls back; outside a procedure, does nothing.</summary>
    public void SendWhenRollback(AsyncSocket? socket) =>
        Transaction.Transaction.Current?.WhileRollback(() => Send(socket));
}

public abstract partial class RpcBase
{
    /// <summary>Sends the response after the current transaction commits (at once outside a procedure).</summary>
    public void SendResultWhenCommit()
    {
        var txn = Transaction.Transaction.Current;
        if (txn == null) SendResult();
        else txn.WhileCommit(() => SendResult());
    }

    /// <summary>Sends the response with <paramref name="resultCode"/> after the current transaction commits.</summary>
    public void SendResultCodeWhenCommit(long resultCode)
    {
        var txn = Transaction.Transaction.Current;
        if (txn == null) SendResultCode(resultCode);
        else txn.WhileCommit(() => SendResultCode(resultCode));
    }

    /// <summary>Sends the response with <paramref name="resultCode"/> if the current procedure rolls back.</summary>
    public void SendResultCodeWhenRollback(long resultCode) =>
        Transaction.Transaction.Current?.WhileRollback(() => SendResultCode(resultCode));
}
