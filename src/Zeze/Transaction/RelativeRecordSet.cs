namespace Zeze.Transaction;

/// <summary>
/// Records that must reach the database in the same database transaction: everything a committed
/// transaction wrote, together with the records it read (its writes may depend on them). Transactions that
/// touch records of several sets merge them into the largest. The checkpoint writes each live set as one
/// batch, so the database only ever holds transaction-consistent, causally closed states.
/// </summary>
/// <remarks>
/// Guarded by its own lock (<see cref="Enter"/>/<see cref="Exit"/>), taken in ascending <see cref="Id"/>, held only
/// for memory work (merging, applying logs, encoding) and never across IO or an await.
/// </remarks>
internal sealed class RelativeRecordSet
{
    private int _locked;

    /// <summary>Takes the set's lock: a compare-and-swap, spinning then yielding while another thread holds it.</summary>
    internal void Enter()
    {
        if (Interlocked.CompareExchange(ref _locked, 1, 0) == 0) return;
        var spin = new SpinWait();
        do spin.SpinOnce(sleep1Threshold: 30);
        while (Volatile.Read(ref _locked) != 0 || Interlocked.CompareExchange(ref _locked, 1, 0) != 0);
    }

    internal bool TryEnter() => Interlocked.CompareExchange(ref _locked, 1, 0) == 0;

    internal void Exit() => Volatile.Write(ref _locked, 0);

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
