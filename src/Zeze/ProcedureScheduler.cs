using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Zeze.Transaction;

namespace Zeze;

/// <summary>
/// The framework's own scheduling of independent procedures (<see cref="Application.ExecuteAsync(Func{ValueTask{long}}, string, TransactionLevel)"/>):
/// a FIFO queue drained by asynchronous workers. How many procedures run at once adapts to contention: when many
/// of them conflict (redo) or wait for record locks, running more at once only produces doomed attempts and lock
/// queues, so the limit halves; while they run cleanly it grows back, up to <see cref="ZezeOptions.MaxConcurrentProcedures"/>.
/// A worker runs procedure after procedure without a thread hop while they complete synchronously.
/// </summary>
internal sealed class ProcedureScheduler
{
    private const int Window = 512;             // procedures per adaptation step
    private const double Crowded = 0.05;         // contended fraction that halves the limit
    private const double Calm = 0.01;            // contended fraction under which the limit may grow
    private const int CalmWindowsToGrow = 16;

    private readonly Application _app;
    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly int _max;
    private int _limit;
    private int _idle;
    private int _started;

    // Adaptation window.
    private long _completed;
    private long _contended;
    private int _calmWindows;
    private int _adapting;

    public ProcedureScheduler(Application app, int max)
    {
        _app = app;
        _max = max;
        _limit = max;
    }

    /// <summary>The most procedures allowed to run at once.</summary>
    public int Max => _max;

    /// <summary>How many may run at once now (adapted to contention).</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>A procedure of this application redid an attempt or waited for a record lock.</summary>
    public void ReportContention() => Interlocked.Increment(ref _contended);

    public ValueTask<long> Schedule<TState>(Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
    {
        var item = new WorkItem<TState>(action, state, name, level);
        if (Transaction.Transaction.Current is { State: not TransactionState.Completed })
        {
            // Started from inside a procedure, which may wait for it while holding a worker: never queue behind it.
            using (ExecutionContext.SuppressFlow())
                _ = Task.Run(() => item.RunAsync(_app));
            return new ValueTask<long>(item, 0);
        }
        _queue.Enqueue(item);
        EnsureWorkers();
        if (Volatile.Read(ref _idle) > 0) _signal.Release();
        return new ValueTask<long>(item, 0);
    }

    private void EnsureWorkers()
    {
        if (Volatile.Read(ref _started) >= _max) return;
        while (true)
        {
            int started = Volatile.Read(ref _started);
            if (started >= _max) return;
            if (Interlocked.CompareExchange(ref _started, started + 1, started) == started)
            {
                int index = started;
                using (ExecutionContext.SuppressFlow())
                    _ = Task.Run(() => WorkerLoopAsync(index));
            }
        }
    }

    /// <summary>Completed when the limit grows: workers above the limit wait for it.</summary>
    private TaskCompletionSource _limitRaised = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Worker <paramref name="index"/> runs procedures only while its index is below the limit, so lowering the limit
    /// needs no per-procedure bookkeeping: the workers above it finish their current procedure and wait.
    /// </summary>
    private async Task WorkerLoopAsync(int index)
    {
        int done = 0;
        while (true)
        {
            if (index >= Volatile.Read(ref _limit))
            {
                var raised = Volatile.Read(ref _limitRaised);
                if (index >= Volatile.Read(ref _limit)) await raised.Task.ConfigureAwait(false);
                continue;
            }
            while (index < Volatile.Read(ref _limit) && _queue.TryDequeue(out var item))
            {
                await item.RunAsync(_app).ConfigureAwait(false);
                if (++done == 64)
                {
                    OnCompleted(done);
                    done = 0;
                }
            }
            if (index >= Volatile.Read(ref _limit)) continue;
            Interlocked.Increment(ref _idle);
            // Re-check after announcing idleness: work enqueued in between may not have signalled.
            if (!_queue.IsEmpty)
            {
                Interlocked.Decrement(ref _idle);
                continue;
            }
            await _signal.WaitAsync().ConfigureAwait(false);
            Interlocked.Decrement(ref _idle);
            if (index >= Volatile.Read(ref _limit)) _signal.Release(); // pass the wake-up on to a worker that may run
        }
    }

    private void OnCompleted(int count)
    {
        if (Interlocked.Add(ref _completed, count) < Window) return;
        if (Interlocked.CompareExchange(ref _adapting, 1, 0) != 0) return;
        try
        {
            long completed = Interlocked.Exchange(ref _completed, 0);
            long contended = Interlocked.Exchange(ref _contended, 0);
            double rate = completed == 0 ? 0 : (double)contended / completed;
            int limit = Volatile.Read(ref _limit);
            if (rate > Crowded)
            {
                _calmWindows = 0;
                Volatile.Write(ref _limit, Math.Max(1, limit / 2));
            }
            else if (rate < Calm && limit < _max && ++_calmWindows >= CalmWindowsToGrow)
            {
                _calmWindows = 0;
                Volatile.Write(ref _limit, limit + 1);
                var raised = Interlocked.Exchange(ref _limitRaised, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                raised.TrySetResult();
                if (Volatile.Read(ref _idle) > 0 && !_queue.IsEmpty) _signal.Release();
            }
        }
        finally
        {
            Volatile.Write(ref _adapting, 0);
        }
    }

    private abstract class WorkItem
    {
        public abstract Task RunAsync(Application app);
    }

    /// <summary>One scheduled procedure; it is also the awaitable of its result (one object per procedure).</summary>
    private sealed class WorkItem<TState>(Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
        : WorkItem, IValueTaskSource<long>
    {
        private ManualResetValueTaskSourceCore<long> _core = new() { RunContinuationsAsynchronously = true };

        public override async Task RunAsync(Application app)
        {
            try
            {
                _core.SetResult(await Transaction.Transaction.RunAsync(app, action, state, name, level).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                _core.SetException(e);
            }
        }

        public long GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }
}
