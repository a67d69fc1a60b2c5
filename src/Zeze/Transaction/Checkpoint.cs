using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Zeze.Serialize;
using Zeze.Storage;

namespace Zeze.Transaction;

/// <summary>
/// Persists committed records ("Table" checkpoint mode). At commit, the records a transaction touched are
/// merged into one <see cref="RelativeRecordSet"/>; the checkpoint writes each live set as one database batch.
/// Batches go through a single FIFO writer, so they reach the database in the order they were encoded: a newer
/// state of a record can never be overwritten by an older one, and a batch that fails is retried (with backoff)
/// before anything after it. Records stay dirty — and in memory — until the database confirms.
/// </summary>
public sealed partial class Checkpoint
{
    private readonly Application _app;
    private readonly ILogger _log;
    private readonly object _pendingGate = new();
    private List<RelativeRecordSet> _pending = [];
    private readonly WriterQueue _queue = new();
    private long _backlogRecords;

    internal Checkpoint(Application app, ILogger log)
    {
        _app = app;
        _log = log;
    }

    /// <summary>Records encoded and queued but not yet confirmed written.</summary>
    public long BacklogRecords => Interlocked.Read(ref _backlogRecords);

    /// <summary>Database writes that failed (each was retried).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    private long _writeFailures;

    // ---- commit side ----

    [ThreadStatic] private static List<RelativeRecordSet>? t_sets;

    /// <summary>
    /// Applies a validated transaction inside the locks of the relative record sets of every record it accessed,
    /// merging them into one. Returns a ticket to wait on when a written table flushes on commit.
    /// </summary>
    internal FlushTicket? Commit(Transaction txn, RecordAccessed[] accessed, int count, Savepoint sp)
    {
        var sets = t_sets ??= [];
        LockSets(sets, accessed, count);
        FlushTicket? ticket = null;
        try
        {
            var target = sets[0];
            foreach (var s in sets)
            {
                if (s.Count > target.Count) target = s;
            }
            foreach (var s in sets)
            {
                if (!ReferenceEquals(s, target)) MergeInto(s, target);
            }
            target.EnsureRecords();
            txn.ApplyLogs(sp);
            if (Zeze.Diagnostics.CoherenceTrace.Enabled)
            {
                for (int i = 0; i < count; i++)
                    if (accessed[i].Dirty) Zeze.Diagnostics.CoherenceTrace.Add(accessed[i].Record, Zeze.Diagnostics.CoherenceTrace.Kind.Commit, accessed[i].Record.State, accessed[i].Record.Timestamp);
            }
            bool durable = false;
            for (int i = 0; i < count; i++)
            {
                if (accessed[i].Dirty && accessed[i].Record.Table.CheckpointWhenCommit)
                {
                    durable = true;
                    break;
                }
            }
            if (durable)
            {
                ticket = FlushLocked(target);
            }
            else if (!target.Registered)
            {
                target.Registered = true;
                lock (_pendingGate) _pending.Add(target);
            }
        }
        finally
        {
            for (int i = sets.Count - 1; i >= 0; i--) sets[i].Exit();
            sets.Clear();
        }
        return ticket;
    }

    /// <summary>Locks the live sets of the accessed records in ascending id, retrying when one was merged or flushed.</summary>
    private static void LockSets(List<RelativeRecordSet> sets, RecordAccessed[] accessed, int count)
    {
        while (true)
        {
            sets.Clear();
            for (int i = 0; i < count; i++)
            {
                var s = accessed[i].Record.Rrs;
                if (!sets.Contains(s)) sets.Add(s);
            }
            if (sets.Count > 1) sets.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            foreach (var s in sets) s.Enter();
            bool stale = false;
            foreach (var s in sets)
            {
                if (s.MergeTo != null)
                {
                    stale = true;
                    break;
                }
            }
            if (!stale) return;
            // A record's set changes only under that set's lock: after releasing, each record points to a newer set.
            for (int i = sets.Count - 1; i >= 0; i--) sets[i].Exit();
        }
    }

    private static void MergeInto(RelativeRecordSet from, RelativeRecordSet into)
    {
        var records = into.EnsureRecords();
        if (from.Records == null)
        {
            from.Owner!.Rrs = into;
            records.Add(from.Owner);
        }
        else
        {
            foreach (var r in from.Records)
            {
                r.Rrs = into;
                records.Add(r);
            }
        }
        from.MergeTo = into;
    }

    /// <summary>
    /// Encodes a live set's dirty records into a batch and queues it (FIFO), then detaches the records into fresh
    /// isolated sets and marks the set flushed. Caller holds the set's lock, so no commit changes its records meanwhile.
    /// </summary>
    private FlushTicket FlushLocked(RelativeRecordSet set)
    {
        var ticket = new FlushTicket();
        if (set.Records == null)
        {
            Encode(set.Owner!, ticket);
        }
        else
        {
            foreach (var r in set.Records) Encode(r, ticket);
        }
        if (ticket.Writes.Count == 0 && !ticket.FollowsEarlierBatch)
        {
            // Memory tables only: nothing to write, clean at once.
            foreach (var (r, v) in ticket.MemoryRecords) AdvanceFlushed(r, v);
            ticket.Complete();
        }
        else
        {
            Interlocked.Add(ref _backlogRecords, ticket.Writes.Count);
            _queue.Enqueue(ticket);
        }
        // Only now may the records be committed again: a record detached before this batch is queued could be
        // committed and flushed through its new set first, and the writer would then put this older value over
        // the newer one (and count the record as written).
        if (set.Records == null)
        {
            set.Owner!.Rrs = new RelativeRecordSet(set.Owner);
        }
        else
        {
            foreach (var r in set.Records) r.Rrs = new RelativeRecordSet(r);
        }
        set.MergeTo = RelativeRecordSet.Deleted;
        return ticket;
    }

    private static void Encode(Record record, FlushTicket ticket)
    {
        long version = Volatile.Read(ref record.DirtyVersion);
        if (version == Volatile.Read(ref record.FlushedVersion)) return;
        if (version == record.QueuedVersion)
        {
            // Already in a batch the writer has not finished: this ticket completes after it (FIFO) instead.
            ticket.FollowsEarlierBatch = true;
            return;
        }
        record.QueuedVersion = version;
        var table = record.Table;
        if (table.Storage == null)
        {
            // Memory table: nothing to write, it is clean as soon as it is "flushed".
            ticket.MemoryRecords.Add((record, version));
            return;
        }
        var bb = ByteBuffer.Rent(64);
        // Committed values only, whichever transaction's flow this runs in (a flush on commit, or before a reload).
        using var committed = Transaction.CommittedView();
        try
        {
            record.EncodeKey(bb);
            byte[] key = bb.ToArray();
            var value = record.Value;
            ticket.Writes.Add(new FlushWrite(table.Storage, key, value == null ? null : Table.EncodeValue(value), record, version));
            if (Zeze.Diagnostics.CoherenceTrace.Enabled) Zeze.Diagnostics.CoherenceTrace.Add(record, Zeze.Diagnostics.CoherenceTrace.Kind.Encode, record.State, version);
        }
        finally
        {
            ByteBuffer.Return(bb);
        }
    }

    // ---- checkpoint side ----

    /// <summary>Flushes every set committed so far and waits until the database confirms all of them.</summary>
    public async Task CheckpointNowAsync(CancellationToken cancellationToken = default)
    {
        List<RelativeRecordSet> sets;
        lock (_pendingGate)
        {
            sets = _pending;
            _pending = [];
        }
        FlushTicket? last = null;
        var start = Stopwatch.GetTimestamp();
        foreach (var set in sets)
        {
            set.Enter();
            try
            {
                if (set.MergeTo != null) continue; // merged into a set that is itself registered, or already flushed
                last = FlushLocked(set);
            }
            finally
            {
                set.Exit();
            }
        }
        // The writer is FIFO: when a ticket enqueued now (or the last one enqueued before) is done, all earlier ones are.
        var barrier = last ?? _queue.LastEnqueued;
        if (barrier != null) await barrier.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (sets.Count > 0)
            _app.Metrics.CheckpointDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>
    /// Writes the set of records that must reach the database together with <paramref name="record"/> (the set is
    /// written as one database transaction) and waits until the database confirms. Used before giving a record to
    /// another server.
    /// </summary>
    internal async Task FlushRecordAsync(Record record)
    {
        FlushTicket ticket;
        while (true)
        {
            var set = record.Rrs;
            set.Enter();
            try
            {
                if (set.MergeTo != null) continue; // merged or flushed meanwhile: the record points to its new set
                ticket = FlushLocked(set);
                break;
            }
            finally
            {
                set.Exit();
            }
        }
        await ticket.Done.ConfigureAwait(false);
    }

    /// <summary>Waits until a ticket from <see cref="Commit"/> is durable. False when the configured time ran out first.</summary>
    internal async ValueTask<bool> WaitDurableAsync(FlushTicket ticket)
    {
        if (ticket.Done.IsCompleted) return true;
        try
        {
            await ticket.Done.WaitAsync(_app.Options.DurableCommitTimeout, _app.TimeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
