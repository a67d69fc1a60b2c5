using Zeze.Serialize;
using Zeze.Storage;

namespace Zeze.Transaction;

/// <summary>
/// A table of records: a write-back cache over one byte key/value table of a database (or memory only).
/// Generated code declares one subclass of <see cref="Table{K,V}"/> per schema table.
/// </summary>
public abstract class Table
{
    private protected Table(int id, string name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>Schema id: the lock order of records starts with it.</summary>
    public int Id { get; }

    /// <summary>Storage name, <c>solution_module_table</c>.</summary>
    public string Name { get; }

    /// <summary>A memory table is never persisted.</summary>
    public virtual bool IsMemory => false;

    /// <summary>Keys are allocated by the framework (<c>autokey="true"</c>).</summary>
    public virtual bool IsAutoKey => false;

    /// <summary>The application the table is registered with (set by <see cref="Zeze.Application.AddTable"/>).</summary>
    public Application Application { get; internal set; } = null!;

    internal TableOptions Options { get; set; } = new();

    /// <summary>Changes are flushed to the database before the committing procedure returns.</summary>
    public bool CheckpointWhenCommit => Options.CheckpointWhenCommit;

    internal IKvTable? Storage { get; set; }

    /// <summary>The database the table is stored in (null for memory tables).</summary>
    public IDatabase? Database => Storage?.Database;

    /// <summary>Change listeners notified after each commit that changes a record of this table.</summary>
    public ChangeListeners Listeners { get; } = new();

    /// <summary>The C# type of the value bean.</summary>
    public abstract Type ValueType { get; }

    /// <summary>The C# type of the key.</summary>
    public abstract Type KeyType { get; }

    /// <summary>The schema of the table (generated), used to refuse incompatible changes at start. Null: not checked.</summary>
    public virtual Schemas.TableSchema? Schema => null;

    /// <summary>Number of records in the cache (including cached "not found" entries).</summary>
    public abstract int CacheCount { get; }

    internal abstract ValueTask OpenAsync(CancellationToken cancellationToken);

    internal abstract int CleanCache(int capacity);

    /// <summary>The cached record of an encoded key, or null.</summary>
    internal abstract Record? FindCached(ReadOnlySpan<byte> keyBytes);

    /// <summary>A snapshot of the cached records.</summary>
    internal abstract IEnumerable<Record> CachedRecords();

    internal static byte[] EncodeValue(Bean value)
    {
        var bb = ByteBuffer.Rent();
        try
        {
            value.Encode(bb);
            return bb.ToArray();
        }
        finally
        {
            ByteBuffer.Return(bb);
        }
    }

    public override string ToString() => Name;
}
