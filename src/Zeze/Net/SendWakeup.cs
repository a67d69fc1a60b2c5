using System.Threading.Tasks.Sources;

namespace Zeze.Net;

/// <summary>
/// The reusable signal a socket's send loop waits on when it has nothing to write. The socket's send lock
/// orders <see cref="Reset"/> before the one <see cref="Signal"/> that follows it, so a plain
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/> suffices and waiting allocates nothing.
/// The loop resumes on the thread pool, never inside the sender's call.
/// </summary>
internal sealed class SendWakeup : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public void Reset() => _core.Reset();

    public void Signal() => _core.SetResult(true);

    public ValueTask WaitAsync() => new(this, _core.Version);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
