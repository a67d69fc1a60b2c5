using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Zeze.Transaction;

namespace Zeze;

/// <summary>
/// The framework's own scheduling of independent procedures (<see cref="Application.ExecuteAsync(Func{ValueTask{long}}, string, TransactionLevel)"/>):
/// a FIFO queue drained by a fixed number of asynchronous workers. Bounding the procedures in flight keeps a
/// contended record from collecting a long queue of doomed attempts, and a worker runs procedure after procedure
/// without a thread hop while they complete synchronously.
/// </summary>
internal sealed class ProcedureScheduler
{
    private readonly Application _app;
    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly int _workers;
    private int _idle;
    private int _started;

    public ProcedureScheduler(Application app, int workers)
    {
        _app = app;
        _workers = workers;
    }

    public int Workers => _workers;

    public ValueTask<long> Schedule<TState>(Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
    {
        var item = new WorkItem<TState>(action, state, name, level);
        _queue.Enqueue(item);
        EnsureWorkers();
        if (Volatile.Read(ref _idle) > 0) _signal.Release();
        return new ValueTask<long>(item, 0);
    }

    private void EnsureWorkers()
    {
        if (Volatile.Read(ref _started) >= _workers) return;
        while (true)
        {
            int started = Volatile.Read(ref _started);
            if (started >= _workers) return;
            if (Interlocked.CompareExchange(ref _started, started + 1, started) == started)
            {
                using (ExecutionContext.SuppressFlow())
                    _ = Task.Run(WorkerLoopAsync);
            }
        }
    }

    private async Task WorkerLoopAsync()
    {
        while (true)
        {
            while (_queue.TryDequeue(out var item))
                await item.RunAsync(_app).ConfigureAwait(false);
            Interlocked.Increment(ref _idle);
            // Re-check after announcing idleness: an item enqueued in between may not have released the signal.
            if (!_queue.IsEmpty)
            {
                Interlocked.Decrement(ref _idle);
                continue;
            }
            await _signal.WaitAsync().ConfigureAwait(false);
            Interlocked.Decrement(ref _idle);
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
