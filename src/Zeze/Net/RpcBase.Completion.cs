using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Zeze.Net;

// The completion a caller of SendAsync awaits: the rpc object is the IValueTaskSource<long>. This is what
// ManualResetValueTaskSourceCore does, cut to what a request needs: it never fails and its value is ResultCode,
// so it holds no exception and no result of its own (three references and a version, where the general core
// takes 48 bytes: every rpc object, including each one a server decodes, is 16 bytes smaller).
// Continuations run inline when the request completes (see Complete), as with RunContinuationsAsynchronously off.
public abstract partial class RpcBase
{
    private static readonly Action<object?> s_completedSentinel = static _ => throw new InvalidOperationException("completed");

    private Action<object?>? _continuation;   // null: nobody waits yet; s_completedSentinel: completed first
    private object? _continuationState;
    private object? _capturedContext;          // ExecutionContext, SynchronizationContext, TaskScheduler or CapturedContexts
    private short _version;
    private bool _completed;

    private sealed class CapturedContexts(ExecutionContext executionContext, object scheduler)
    {
        public ExecutionContext ExecutionContext { get; } = executionContext;
        public object Scheduler { get; } = scheduler; // a SynchronizationContext or a TaskScheduler
    }

    private void ResetCompletion()
    {
        _version++;
        _completed = false;
        _continuation = null;
        _continuationState = null;
        _capturedContext = null;
    }

    private protected ValueTask<long> AwaitCompletion() => new(this, _version);

    private void SignalCompletion()
    {
        Debug.Assert(!_completed, "an rpc completes once per send");
        if (_completed) return;
        _completed = true;
        // Either a continuation is registered (run it), or mark completion so that a later OnCompleted runs its own.
        var continuation = Volatile.Read(ref _continuation) ?? Interlocked.CompareExchange(ref _continuation, s_completedSentinel, null);
        if (continuation != null) InvokeContinuation(continuation, _continuationState, _capturedContext, inline: true);
    }

    private void ValidateToken(short token)
    {
        if (token != _version)
            throw new InvalidOperationException($"{GetType().Name}: the value of SendAsync was awaited after the rpc was sent again (await it once, before sending the object again)");
    }

    long IValueTaskSource<long>.GetResult(short token)
    {
        ValidateToken(token);
        if (!_completed) throw new InvalidOperationException($"{GetType().Name}: the request has not completed yet");
        return ResultCode;
    }

    ValueTaskSourceStatus IValueTaskSource<long>.GetStatus(short token)
    {
        ValidateToken(token);
        return Volatile.Read(ref _continuation) == null || !_completed ? ValueTaskSourceStatus.Pending : ValueTaskSourceStatus.Succeeded;
    }

    void IValueTaskSource<long>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ValidateToken(token);
        object? context = null;
        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0) context = ExecutionContext.Capture();
        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0)
        {
            object? scheduler = SynchronizationContext.Current is { } sc && sc.GetType() != typeof(SynchronizationContext)
                ? sc
                : TaskScheduler.Current is { } ts && ts != TaskScheduler.Default ? ts : null;
            if (scheduler != null) context = context is ExecutionContext ec ? new CapturedContexts(ec, scheduler) : scheduler;
        }
        _capturedContext = context;
        var stored = _continuation;
        if (stored == null)
        {
            _continuationState = state;
            stored = Interlocked.CompareExchange(ref _continuation, continuation, null);
            if (stored == null) return;
        }
        if (!ReferenceEquals(stored, s_completedSentinel))
            throw new InvalidOperationException($"{GetType().Name}: the value of SendAsync can be awaited only once");
        // Completed between the awaiter's check and now: run the continuation, but not inside OnCompleted.
        InvokeContinuation(continuation, state, context, inline: false);
    }

    private static void InvokeContinuation(Action<object?> continuation, object? state, object? context, bool inline)
    {
        switch (context)
        {
            case null:
                if (inline) continuation(state);
                else ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: true);
                break;
            case ExecutionContext ec:
                if (inline) ExecutionContext.Run(ec, static s => Invoke(s), (continuation, state));
                else ThreadPool.QueueUserWorkItem(continuation, state, preferLocal: true); // flows the current context, the captured one
                break;
            case CapturedContexts both:
                ExecutionContext.Run(both.ExecutionContext, static s =>
                {
                    var (scheduler, continuation, state) = ((object, Action<object?>, object?))s!;
                    Schedule(scheduler, continuation, state);
                }, (both.Scheduler, continuation, state));
                break;
            default:
                Schedule(context, continuation, state);
                break;
        }

        static void Invoke(object? s)
        {
            var (continuation, state) = ((Action<object?>, object?))s!;
            continuation(state);
        }
    }

    // To a captured SynchronizationContext or TaskScheduler, as await does.
    private static void Schedule(object scheduler, Action<object?> continuation, object? state)
    {
        if (scheduler is SynchronizationContext sc)
            sc.Post(static s =>
            {
                var (continuation, state) = ((Action<object?>, object?))s!;
                continuation(state);
            }, (continuation, state));
        else
            Task.Factory.StartNew(continuation, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach, (TaskScheduler)scheduler);
    }
}
