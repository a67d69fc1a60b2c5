namespace Zeze.Storage;

/// <summary>
/// Counts the calls inside a database so that closing waits for them: freeing a native engine (RocksDB) under a
/// running call would crash the process. Not thread-affine, so a lease may be held across awaits (a walk).
/// </summary>
internal sealed class UsageGate
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _users;
    private int _closing;

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Enters, or throws <see cref="ObjectDisposedException"/> once closing started.</summary>
    public Lease Enter(string databaseName)
    {
        Interlocked.Increment(ref _users);
        if (Volatile.Read(ref _closing) != 0)
        {
            Exit();
            throw new ObjectDisposedException($"database '{databaseName}'", $"database '{databaseName}' is closed.");
        }
        return new Lease(this);
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _users) == 0 && Volatile.Read(ref _closing) != 0)
            _drained.TrySetResult();
    }

    /// <summary>Refuses new calls, then waits for the running ones; false when they did not finish in time.</summary>
    public async Task<(bool Drained, int StillRunning)> CloseAsync(TimeSpan timeout)
    {
        Interlocked.Exchange(ref _closing, 1);
        if (Volatile.Read(ref _users) == 0)
            return (true, 0);
        try
        {
            await _drained.Task.WaitAsync(timeout).ConfigureAwait(false);
            return (true, 0);
        }
        catch (TimeoutException)
        {
            return (false, Volatile.Read(ref _users));
        }
    }

    public readonly struct Lease(UsageGate gate) : IDisposable
    {
        public void Dispose() => gate.Exit();
    }
}
