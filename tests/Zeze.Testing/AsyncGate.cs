namespace Zeze.Testing;

/// <summary>Open or closed; waiters pass when it is open. Used to hold a direction of the proxy.</summary>
internal sealed class AsyncGate
{
    private readonly object _lock = new();
    private TaskCompletionSource _open = Opened();

    public bool IsOpen
    {
        get { lock (_lock) return _open.Task.IsCompleted; }
    }

    public void Open()
    {
        lock (_lock) _open.TrySetResult();
    }

    public void Close()
    {
        lock (_lock)
        {
            if (_open.Task.IsCompleted) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public Task WaitOpenAsync(CancellationToken cancellationToken)
    {
        Task t;
        lock (_lock) t = _open.Task;
        return t.IsCompleted ? Task.CompletedTask : t.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource Opened()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}
