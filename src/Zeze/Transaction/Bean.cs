using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using Zeze.Serialize;

namespace Zeze.Transaction;

/// <summary>
/// Base of every generated bean (and of the transactional collections). A bean is <em>unmanaged</em> (a plain
/// object: fields are read and written directly) until it is put into a table or into a managed bean, and
/// <em>managed</em> from then on: inside a procedure its reads see the procedure's own writes, and its writes
/// are logs that reach the shared object only when the transaction commits.
/// </summary>
public abstract class Bean : ISerializable
{
    /// <summary>Object ids step by 4096 so that <c>ObjectId + variableId</c> (1..4095) names one field.</summary>
    public const int ObjectIdStep = 4096;

    private static long s_objectIdSeed;

    private long _objectId;
    private Record? _record;

    /// <summary>Unique per bean instance; allocated on first use (only managed beans need one).</summary>
    public long ObjectId
    {
        get
        {
            long id = _objectId;
            return id != 0 ? id : AllocateObjectId();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long AllocateObjectId()
    {
        long id = Interlocked.Add(ref s_objectIdSeed, ObjectIdStep);
        long prev = Interlocked.CompareExchange(ref _objectId, id, 0);
        return prev != 0 ? prev : id;
    }

    /// <summary>True once the bean belongs to a record (put into a table or into a managed bean). Permanent.</summary>
    public bool IsManaged => _record != null;

    /// <summary>The record this bean's tree belongs to, or null while unmanaged.</summary>
    internal Record? RootRecord => _record;

    /// <summary>The bean (or collection) holding this one; null for a record's root value.</summary>
    public Bean? Parent { get; private set; }

    /// <summary>The field id of this bean inside its parent (0 for elements of collections and roots).</summary>
    public int VariableId { get; private set; }

    /// <summary>Stable 64-bit type id (hash of the full name unless the schema gives one).</summary>
    public abstract long TypeId { get; }

    public abstract void Encode(ByteBuffer bb);

    public abstract void Decode(ByteBuffer bb);

    /// <summary>A deep, unmanaged copy of this bean as seen by the current transaction.</summary>
    public abstract Bean CopyBean();

    /// <summary>Writes a readable form of the bean (used by <see cref="ToString"/>).</summary>
    public abstract void BuildString(StringBuilder sb, int level);

    public override string ToString()
    {
        var sb = new StringBuilder();
        BuildString(sb, 0);
        return sb.ToString();
    }

    // ---- binding (called by tables, collections and generated code) ----

    /// <summary>Binds this bean and its children to a record. Throws if it is already managed.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void InitRootInfo(Record root, Bean? parent, int variableId = 0)
    {
        if (_record != null)
            throw new HasManagedException(this);
        _record = root;
        Parent = parent;
        VariableId = variableId;
        InitChildrenRootInfo(root);
    }

    /// <summary>
    /// As <see cref="InitRootInfo"/>, for a bean supplied by user code inside a procedure: if the attempt is
    /// redone, the bean becomes unmanaged again so that the retried code can bind it anew.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void InitRootInfoWithRedo(Record root, Bean? parent, int variableId = 0)
    {
        InitRootInfo(root, parent, variableId);
        Transaction.Current?.AddRedoBean(this);
    }

    /// <summary>Makes the bean unmanaged again (only on redo of the attempt that bound it).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void ResetRootInfo()
    {
        _record = null;
        Parent = null;
        VariableId = 0;
        ResetChildrenRootInfo();
    }

    /// <summary>Binds the children (bean fields, collections, dynamic values) to <paramref name="root"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected abstract void InitChildrenRootInfo(Record root);

    /// <summary>Undoes <see cref="InitChildrenRootInfo"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected abstract void ResetChildrenRootInfo();

    /// <summary>
    /// Binds a bean that user code assigns to field <paramref name="variableId"/> of this managed bean
    /// (does nothing while this bean is unmanaged).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void BindAssigned(Bean child, int variableId)
    {
        var root = _record;
        if (root != null) child.InitRootInfoWithRedo(root, this, variableId);
    }

    /// <summary>A fresh key for logs that do not belong to a bean field (record puts).</summary>
    internal static long AllocateLogKey() => Interlocked.Add(ref s_objectIdSeed, ObjectIdStep);

    // ---- transactional field access (generated properties call these) ----

    /// <summary>The value of field <paramref name="variableId"/> as seen by the current transaction.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected T GetField<T>(int variableId, T committed)
    {
        var txn = Transaction.Current;
        if (txn == null) return committed;
        var log = txn.GetFieldLog(this, variableId);
        return log != null ? ((Log<T>)log).Value : committed;
    }

    /// <summary>Records a write of a managed bean's field in the current transaction.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void PutField(Log log) => Transaction.RequireForWrite(this).PutLog(log);

    /// <summary>
    /// Applies changes received from elsewhere (a listener's <see cref="BeanChanges"/>, a follower) to this
    /// unmanaged bean: afterwards it equals the bean the changes were made to.
    /// </summary>
    public virtual void FollowerApply(Log log) => throw new NotSupportedException($"{GetType().Name} does not apply change logs");

    /// <summary>The key of this bean in the map that holds it (maps of beans only).</summary>
    internal object? MapKey { get; set; }

    // ---- version variable (schema attribute bean version="...") ----

    /// <summary>Id of the version variable, 0 when the bean has none.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public virtual int VersionVariableId => 0;

    /// <summary>The committed version (read without a transaction).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public virtual long GetVersionOnCommit() => 0;

    /// <summary>Sets the committed version directly; called at commit under the record's write lock.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public virtual void SetVersionOnCommit(long version) { }

    /// <summary>Throws when <paramref name="value"/> is null (bean fields reject null).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? name = null) where T : class
        => value ?? throw new ArgumentNullException(name, "bean fields do not accept null");

    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void ThrowIfManagedForDecode()
    {
        if (_record != null)
            throw new InvalidOperationException($"cannot decode into a managed {GetType().Name}: decode into a new bean and put it instead");
    }

    /// <summary>Helper for <see cref="BuildString"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Indent(StringBuilder sb, int level) => sb.Append(' ', level * 4);
}

/// <summary>Thrown when a bean that already belongs to a record is put somewhere else. Use <c>Copy()</c>.</summary>
public sealed class HasManagedException(Bean bean)
    : InvalidOperationException($"{bean.GetType().Name} is already managed (it belongs to a record): a bean can be in one place only; put a Copy() instead");
