namespace Zeze.Transaction;

/// <summary>
/// Records that must reach the database in the same database transaction: everything a committed
/// transaction wrote, together with the records it read (its writes may depend on them). Transactions that
/// touch records of several sets merge them into the largest. The checkpoint writes each live set as one
/// batch, so the database only ever holds transaction-consistent, causally closed states.
/// </summary>
/// <remarks>Guarded by <c>lock(this)</c>; locks are taken in ascending <see cref="Id"/> and never held across IO.</remarks>
internal sealed class RelativeRecordSet
{
    private static long s_idSeed;

    /// <summary>Marks a set that was flushed; its records have moved on to fresh sets.</summary>
    internal static readonly RelativeRecordSet Deleted = new();

    internal readonly long Id;

    /// <summary>Null while the set is isolated: it then holds only <see cref="Owner"/>.</summary>
    internal HashSet<Record>? Records;

    /// <summary>The record this set was created for.</summary>
    internal readonly Record? Owner;

    /// <summary>Null while live; the set it was merged into; or <see cref="Deleted"/> once flushed.</summary>
    internal RelativeRecordSet? MergeTo;

    /// <summary>True once handed to the checkpoint for the next flush.</summary>
    internal bool Registered;

    private RelativeRecordSet() => Id = 0;

    internal RelativeRecordSet(Record owner)
    {
        Id = Interlocked.Increment(ref s_idSeed);
        Owner = owner;
    }

    internal bool IsIsolated => Records == null;

    internal int Count => Records?.Count ?? 1;

    /// <summary>Turns an isolated set into a real one containing its owner.</summary>
    internal HashSet<Record> EnsureRecords() => Records ??= [Owner!];

    public override string ToString() => $"RRS#{Id}({(MergeTo == null ? "live" : MergeTo == Deleted ? "flushed" : "merged")}, {Count})";
}
