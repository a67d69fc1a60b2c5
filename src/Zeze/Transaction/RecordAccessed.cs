namespace Zeze.Transaction;

/// <summary>
/// A record as first seen by one transaction: the record object, its timestamp and value at that moment
/// (an atomic snapshot), and whether the transaction wrote it. Reused from a per-transaction pool.
/// </summary>
internal sealed class RecordAccessed
{
    internal Record Record = null!;
    internal long Timestamp;
    internal Bean? Value;
    internal bool Dirty;

    /// <summary>Log key of this access's <see cref="PutLog"/> (unique per pooled object).</summary>
    internal readonly long PutLogKey = Bean.AllocateLogKey();

    internal void Reset()
    {
        Record = null!;
        Value = null;
        Dirty = false;
    }
}

/// <summary>Replaces a record's whole value (or removes it when <see cref="Log{T}.Value"/> is null).</summary>
internal sealed class PutLog(RecordAccessed accessed, Bean? value) : Log(null, 0)
{
    internal readonly RecordAccessed Accessed = accessed;
    internal readonly Bean? Value = value;

    public override long LogKey => Accessed.PutLogKey;

    internal override Record? OwnerRecord => Accessed.Record;

    public override void Commit() => Accessed.Record.Value = Value;

    public override string ToString() => $"Put({Accessed.Record}, {(Value == null ? "remove" : Value.GetType().Name)})";
}
