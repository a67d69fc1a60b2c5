namespace Zeze.Transaction;

/// <summary>How a procedure (or a protocol handler) is run.</summary>
public enum TransactionLevel
{
    /// <summary>No transaction: the handler runs directly.</summary>
    None = 0,

    /// <summary>A serializable transaction (the default).</summary>
    Serializable = 1,

    /// <summary>
    /// Serializable when the procedure writes; a procedure that only reads skips locking and validation,
    /// so it may observe a combination of values that never existed at one instant.
    /// </summary>
    AllowDirtyWhenAllRead = 2,
}
