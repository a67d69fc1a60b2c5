using Zeze.Serialize;

namespace Zeze.Transaction;

/// <summary>
/// One cached row of a table: the committed root value (null = known not to exist), a version that changes
/// at every commit that writes it, its cache state, and its dirty flag for the checkpoint. A record is also
/// its own reader/writer lock, taken only while a transaction validates and commits.
/// </summary>
public abstract class Record : AsyncRwLock
{
    private protected Record(Table table)
    {
        Table = table;
        Rrs = new RelativeRecordSet(this);
    }

    public Table Table { get; }

    /// <summary>The key as an object (for diagnostics and listeners).</summary>
    public abstract object KeyObject { get; }

    private Bean? _value;
    private long _timestamp;
    private int _state;

    /// <summary>The committed root value. Writers publish it before the new timestamp.</summary>
    internal Bean? Value
    {
        get => Volatile.Read(ref _value);
        set => Volatile.Write(ref _value, value);
    }

    /// <summary>Changes at each commit that dirties the record; read before the value, written after it.</summary>
    internal long Timestamp
    {
        get => Volatile.Read(ref _timestamp);
        set => Volatile.Write(ref _timestamp, value);
    }

    internal int State
    {
        get => Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, value);
    }

    /// <summary>Bumped by each commit that writes the record (under its set's lock).</summary>
    internal long DirtyVersion;

    /// <summary>The <see cref="DirtyVersion"/> last confirmed written by the database (only the checkpoint writer sets it).</summary>
    internal long FlushedVersion;

    /// <summary>
    /// The <see cref="DirtyVersion"/> last encoded into a queued batch (set under the lock of the record's set). A flush
    /// that finds the record's version already queued does not write it again but waits for that batch (the writer is
    /// FIFO): the same value written a second time, later, could land after another server had taken the record and
    /// written a newer value (a lost update seen in G2 before this).
    /// </summary>
    internal long QueuedVersion;

    /// <summary>Committed changes not yet confirmed written to the database.</summary>
    internal bool IsDirty => Volatile.Read(ref DirtyVersion) != Volatile.Read(ref FlushedVersion);

    /// <summary>The cache's coarse clock at the last access (for eviction of idle records).</summary>
    internal long LastAccess;

    /// <summary>
    /// With a global cache: until when (a <see cref="TimeProvider"/> timestamp) the record counts as freshly acquired.
    /// A fresh record refuses to be reduced unless the requester's copy is fresh too (livelock control). 0 = not fresh.
    /// </summary>
    internal long FreshUntil;

    /// <summary>
    /// With a global cache: the last transaction that committed with this record wrote it. Its next load then asks the
    /// GCM for Modify at once instead of Share (and the upgrade at commit), which saves a round trip when a record moves
    /// between servers that each write it; a record that was only read is loaded as Share, so readers keep sharing it.
    /// </summary>
    internal bool WriteExpected;

    private byte[]? _globalKey;

    /// <summary>The key as the global cache manager knows it: the table id (4 bytes, little-endian), then the encoded key.</summary>
    internal byte[] GlobalKey => _globalKey ??= MakeGlobalKey();

    private byte[] MakeGlobalKey()
    {
        var bb = ByteBuffer.Rent(64);
        try
        {
            bb.WriteInt4(Table.Id);
            EncodeKey(bb);
            return bb.ToArray();
        }
        finally
        {
            ByteBuffer.Return(bb);
        }
    }

    /// <summary>The set of records that must reach the database together with this one.</summary>
    internal RelativeRecordSet Rrs;

    /// <summary>A load in progress (other transactions wait for it instead of loading twice).</summary>
    internal Task? Loading;

    /// <summary>Orders records of one table by key (ordinal for strings).</summary>
    internal abstract int CompareKeyTo(Record other);

    internal abstract void EncodeKey(ByteBuffer bb);

    /// <summary>Global lock order: table id, then key. Deadlock freedom rests on it.</summary>
    internal static int Compare(Record a, Record b)
    {
        if (ReferenceEquals(a, b)) return 0;
        int c = a.Table.Id.CompareTo(b.Table.Id);
        if (c != 0) return c;
        if (!ReferenceEquals(a.Table, b.Table))
            return System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a.Table).CompareTo(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(b.Table));
        return a.CompareKeyTo(b);
    }

    public override string ToString() => $"{Table.Name}[{KeyObject}]";
}

/// <summary>A record of a table with keys of type <typeparamref name="K"/>.</summary>
public sealed class Record<K> : Record where K : notnull
{
    internal Record(Table table, K key, IComparer<K> comparer) : base(table)
    {
        Key = key;
        _comparer = comparer;
    }

    private readonly IComparer<K> _comparer;

    public K Key { get; }

    public override object KeyObject => Key;

    internal override int CompareKeyTo(Record other) => _comparer.Compare(Key, ((Record<K>)other).Key);

    internal override void EncodeKey(ByteBuffer bb) => ((ITableKeyCodec<K>)Table).EncodeKey(bb, Key);
}

/// <summary>Implemented by tables: how keys are written to and read from the database.</summary>
public interface ITableKeyCodec<K>
{
    void EncodeKey(ByteBuffer bb, K key);
    K DecodeKey(ByteBuffer bb);
}
