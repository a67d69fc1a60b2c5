using Microsoft.Extensions.Logging;
using Zeze.Net;

namespace Zeze.Services.GlobalCache;

/// <summary>
/// The agent's link to one GCM instance (A13: one connection, one activity clock, one fast-fail window, one
/// releaser per instance). Partial files: connection and login, the daemon and local release, acquires.
/// </summary>
internal sealed partial class AgentInstance
{
    private readonly GlobalCacheAgent _agent;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private AchillesHeelTiming _timing;
    private AsyncSocket? _ready;
    private TaskCompletionSource<AsyncSocket> _readyWaiters = NewReady();
    private long _activeTimestamp;
    private long _fastFailUntil;
    private Task? _loop;
    private ITimer? _daemon;

    public AgentInstance(GlobalCacheAgent agent, int index, string host, int port)
    {
        _agent = agent;
        Index = index;
        Host = host;
        Port = port;
        _timing = agent.Options.InitialTiming;
        _activeTimestamp = Time.GetTimestamp();
    }

    public int Index { get; }
    public string Host { get; }
    public int Port { get; }
    public string EndPoint => $"{Host}:{Port}";

    public AchillesHeelTiming Timing => Volatile.Read(ref _timing);

    private TimeProvider Time => _agent.TimeProvider;
    private ILogger Logger => _agent.Logger;
    private int ServerId => _agent.Options.ServerId;

    /// <summary>The logged-in connection, or null.</summary>
    public AsyncSocket? ReadySocket
    {
        get
        {
            var so = Volatile.Read(ref _ready);
            return so is { IsClosed: false } ? so : null;
        }
    }

    public bool IsStopped => _stop.IsCancellationRequested;

    public long Logins;
    public long ReLogins;
    public long LocalReleases;

    /// <summary>Something came from the GCM: it is alive (A9: any answer, and reduces too).</summary>
    public void Touch() => Volatile.Write(ref _activeTimestamp, Time.GetTimestamp());

    public long IdleMs => (long)Time.GetElapsedTime(Volatile.Read(ref _activeTimestamp)).TotalMilliseconds;

    public void Start()
    {
        _loop = RunAsync(_stop.Token);
        var period = TimeSpan.FromMilliseconds(Timing.AgentDaemonPeriod);
        _daemon = Time.CreateTimer(static s => ((AgentInstance)s!).OnDaemonTick(), this, period, period);
    }

    /// <summary>Waits for a logged-in connection; null after <paramref name="timeoutMs"/> or when stopped.</summary>
    public async ValueTask<AsyncSocket?> WaitReadyAsync(int timeoutMs, CancellationToken cancellationToken)
    {
        var deadline = Time.GetTimestamp() + timeoutMs * Time.TimestampFrequency / 1000;
        while (true)
        {
            var so = ReadySocket;
            if (so != null) return so;
            if (IsStopped) return null;
            Task<AsyncSocket> waiter;
            lock (_lock) waiter = _readyWaiters.Task;
            var left = Time.GetElapsedTime(Time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero) return null;
            try
            {
                so = await waiter.WaitAsync(left, Time, cancellationToken).ConfigureAwait(false);
                if (!so.IsClosed) return so;
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }

    private void SetReady(AsyncSocket so)
    {
        lock (_lock)
        {
            _ready = so;
            _readyWaiters.TrySetResult(so);
        }
    }

    private void ClearReady(AsyncSocket so)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_ready, so)) return;
            _ready = null;
            if (_readyWaiters.Task.IsCompleted) _readyWaiters = NewReady();
        }
    }

    /// <summary>NormalClose (the GCM releases everything), then close and stop reconnecting.</summary>
    public async Task StopAsync()
    {
        var so = ReadySocket;
        _daemon?.Dispose();
        _stop.Cancel();
        if (so != null)
        {
            var rpc = new NormalClose();
            long rc = await rpc.SendAsync(so, Timing.LoginTimeout).ConfigureAwait(false);
            AgentLog.NormalClosed(Logger, ServerId, Index, GlobalResultCodeNames.NameOf(rc));
            so.Close("agent stopped");
        }
        lock (_lock) _readyWaiters.TrySetCanceled();
        if (_loop != null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static TaskCompletionSource<AsyncSocket> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
