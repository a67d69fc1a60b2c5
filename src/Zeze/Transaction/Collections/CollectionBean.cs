using System.ComponentModel;
using System.Text;
using Zeze.Serialize;

namespace Zeze.Transaction.Collections;

/// <summary>
/// Base of the transactional collections. A collection holds an immutable collection as its committed state;
/// inside a procedure, changes go to a log holding the procedure's own immutable version, which replaces the
/// committed one at commit. Collections are encoded by the bean that owns them.
/// </summary>
public abstract class CollectionBean : Bean
{
    public override long TypeId => 0;

    public override void Encode(ByteBuffer bb) =>
        throw new NotSupportedException($"{GetType().Name} is encoded by the bean that owns it");

    public override void Decode(ByteBuffer bb) =>
        throw new NotSupportedException($"{GetType().Name} is decoded by the bean that owns it");

    public override Bean CopyBean() => throw new NotSupportedException($"copy the owning bean instead of {GetType().Name}");

    /// <summary>The log of this collection to read in the current transaction, or null to read the committed state.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Log? ReadLog()
    {
        if (!IsManaged) return null;
        var txn = Transaction.Current;
        return txn?.GetFieldLog(this, 0);
    }

    /// <summary>The log to change in the current transaction (created from <paramref name="create"/> on first change).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected TLog WriteLog<TLog>(Func<CollectionBean, TLog> create) where TLog : Log
    {
        var txn = Transaction.RequireForWrite(this);
        var log = txn.GetLogForUpdate(ObjectId);
        if (log != null) return (TLog)log;
        var created = create(this);
        txn.PutLog(created);
        return created;
    }

    /// <summary>Creates an empty change log for change notifications (when only elements changed).</summary>
    internal abstract Log CreateChangesLog();

    /// <summary>Records in this collection's change log that a contained bean changed.</summary>
    internal abstract void AddChildChanges(Log collectionLog, Bean child, Log childChanges);

    public override void BuildString(StringBuilder sb, int level) => sb.Append(ToString());
}
