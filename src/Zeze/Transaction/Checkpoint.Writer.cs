using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Zeze.Storage;

namespace Zeze.Transaction;

// The single writer: takes queued batches in order, groups consecutive ones into one database transaction
// per database (group commit), and retries a failed group with backoff until the database accepts it.
public sealed partial class Checkpoint
{
    /// <summary>Most records written in one database transaction when several batches are grouped.</summary>
    private const int GroupLimit = 20000;

    private Task? _writer;
    private CancellationTokenSource? _stopWriter;
    private Task? _periodic;

    internal void Start()
    {
        _stopWriter = new CancellationTokenSource();
        _writer = Task.Run(() => WriterLoopAsync(_stopWriter.Token));
        if (_app.Options.CheckpointPeriod > TimeSpan.Zero)
            _periodic = Task.Run(() => PeriodicLoopAsync(_stopWriter.Token));
    }

    /// <summary>Stops the periodic checkpoint, flushes everything, then stops the writer.</summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopWriter == null) return;
        var stopPeriodic = _periodic;
        await CheckpointNowAsync(cancellationToken).ConfigureAwait(false);
        _stopWriter.Cancel();
        _queue.Wake();
        if (stopPeriodic != null) await stopPeriodic.ConfigureAwait(false);
        if (_writer != null) await _writer.ConfigureAwait(false);
        _stopWriter.Dispose();
        _stopWriter = null;
    }

    /// <summary>Abandons queued batches without writing them (a simulated crash, for tests).</summary>
    internal void Abandon()
    {
        _stopWriter?.Cancel();
        _queue.Wake();
    }

    private async Task PeriodicLoopAsync(CancellationToken stop)
    {
        var period = _app.Options.CheckpointPeriod;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _app.TimeProvider, stop).ConfigureAwait(false);
                await CheckpointNowAsync(stop).ConfigureAwait(false);
                _app.CleanCaches();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogError(e, "checkpoint failed; it will run again in {Period}", period);
            }
        }
    }

    private async Task WriterLoopAsync(CancellationToken stop)
    {
        var group = new List<FlushTicket>();
        while (true)
        {
            group.Clear();
            if (!_queue.TakeGroup(group, GroupLimit))
            {
                if (stop.IsCancellationRequested) return;
                await _queue.WaitAsync().ConfigureAwait(false);
                continue;
            }
            var delay = TimeSpan.FromMilliseconds(100);
            while (true)
            {
                try
                {
                    var start = Stopwatch.GetTimestamp();
                    int records = await WriteGroupAsync(group).ConfigureAwait(false);
                    _app.Metrics.FlushedRecords.Add(records);
                    _app.Metrics.FlushDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    break;
                }
                catch (Exception e) when (!stop.IsCancellationRequested || e is not OperationCanceledException)
                {
                    _app.Metrics.FlushFailures.Add(1);
                    Interlocked.Increment(ref _writeFailures);
                    _log.LogError(e, "checkpoint could not write {Records} records; retrying in {Delay} (the records stay dirty in memory)",
                        CountWrites(group), delay);
                    if (stop.IsCancellationRequested && _app.AbandonOnStop) return;
                    try
                    {
                        // Only a simulated crash (Abandon cancels the writer's token) cuts the backoff short. A stopping
                        // application keeps the same pace: its final checkpoint waits for these records, and without a
                        // delay the writer would retry (and log) in a tight loop until the database came back.
                        var abandon = stop.IsCancellationRequested ? CancellationToken.None : stop;
                        await Task.Delay(delay, _app.TimeProvider, abandon).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        if (_app.AbandonOnStop) return;
                    }
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
                }
            }
            foreach (var t in group)
            {
                foreach (var w in t.Writes) AdvanceFlushed(w.Record, w.Version);
                foreach (var (r, v) in t.MemoryRecords) AdvanceFlushed(r, v);
                Interlocked.Add(ref _backlogRecords, -t.Writes.Count);
                t.Complete();
            }
            _queue.Completed(group[^1]);
        }
    }

    private static int CountWrites(List<FlushTicket> group)
    {
        int n = 0;
        foreach (var t in group) n += t.Writes.Count;
        return n;
    }

    /// <summary>Writes a group: one database transaction per database, in the order of the writes.</summary>
    private static async Task<int> WriteGroupAsync(List<FlushTicket> group)
    {
        Dictionary<IDatabase, IKvBatch>? batches = null;
        IKvBatch? single = null;
        IDatabase? singleDb = null;
        int records = 0;
        try
        {
            foreach (var t in group)
            {
                foreach (var w in t.Writes)
                {
                    var db = w.Table.Database;
                    IKvBatch batch;
                    if (singleDb == null)
                    {
                        singleDb = db;
                        batch = single = db.BeginBatch();
                    }
                    else if (ReferenceEquals(singleDb, db))
                    {
                        batch = single!;
                    }
                    else
                    {
                        batches ??= new() { [singleDb] = single! };
                        if (!batches.TryGetValue(db, out batch!))
                            batches[db] = batch = db.BeginBatch();
                    }
                    if (w.Value == null) batch.Delete(w.Table, w.Key);
                    else batch.Put(w.Table, w.Key, w.Value);
                    records++;
                }
            }
            if (batches != null)
            {
                // Not atomic across databases (documented): each database commits on its own.
                foreach (var b in batches.Values) await b.CommitAsync().ConfigureAwait(false);
            }
            else if (single != null)
            {
                await single.CommitAsync().ConfigureAwait(false);
            }
            return records;
        }
        finally
        {
            if (batches != null)
            {
                foreach (var b in batches.Values) await b.DisposeAsync().ConfigureAwait(false);
            }
            else if (single != null)
            {
                await single.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void AdvanceFlushed(Record record, long version)
    {
        // Monotonic: an older batch can never move the flushed version backwards.
        if (Zeze.Diagnostics.CoherenceTrace.Enabled) Zeze.Diagnostics.CoherenceTrace.Add(record, Zeze.Diagnostics.CoherenceTrace.Kind.Flushed, record.State, version, 0);
        long cur = Volatile.Read(ref record.FlushedVersion);
        while (version > cur)
        {
            long prev = Interlocked.CompareExchange(ref record.FlushedVersion, version, cur);
            if (prev == cur) return;
            cur = prev;
        }
    }
}

/// <summary>What one flushed set writes, and a completion the committing procedure can wait on.</summary>
internal sealed class FlushTicket
{
    internal readonly List<FlushWrite> Writes = [];
    internal readonly List<(Record Record, long Version)> MemoryRecords = [];

    /// <summary>
    /// A record of this ticket's set had its version already queued in an earlier batch (not written again here): the
    /// ticket goes through the queue even with nothing to write, so that it completes only after that batch.
    /// </summary>
    internal bool FollowsEarlierBatch;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task Done => _done.Task;

    internal void Complete() => _done.TrySetResult();
}

internal readonly record struct FlushWrite(IKvTable Table, byte[] Key, byte[]? Value, Record Record, long Version);

/// <summary>The FIFO between committing transactions (producers) and the writer (single consumer).</summary>
internal sealed class WriterQueue
{
    private readonly Queue<FlushTicket> _items = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FlushTicket? _lastEnqueued;

    /// <summary>The last ticket enqueued and not yet completed, if any.</summary>
    internal FlushTicket? LastEnqueued
    {
        get
        {
            lock (_items) return _lastEnqueued;
        }
    }

    internal void Enqueue(FlushTicket ticket)
    {
        TaskCompletionSource signal;
        lock (_items)
        {
            _items.Enqueue(ticket);
            _lastEnqueued = ticket;
            signal = _signal;
        }
        signal.TrySetResult();
    }

    internal bool TakeGroup(List<FlushTicket> group, int limit)
    {
        lock (_items)
        {
            int records = 0;
            while (_items.Count > 0 && (group.Count == 0 || records + _items.Peek().Writes.Count <= limit))
            {
                var t = _items.Dequeue();
                records += t.Writes.Count;
                group.Add(t);
            }
            if (group.Count == 0) _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return group.Count > 0;
        }
    }

    internal Task WaitAsync()
    {
        lock (_items) return _items.Count > 0 ? Task.CompletedTask : _signal.Task;
    }

    internal void Wake()
    {
        lock (_items) _signal.TrySetResult();
    }

    internal void Completed(FlushTicket last)
    {
        lock (_items)
        {
            if (ReferenceEquals(_lastEnqueued, last)) _lastEnqueued = null;
        }
    }
}
