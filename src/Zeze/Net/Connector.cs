namespace Zeze.Net;

/// <summary>
/// One managed outgoing connection (B11): connects, waits for the handshake, and after a failure or a
/// close reconnects after 1 s, doubling the delay on each consecutive failure up to
/// <see cref="ConnectorOptions.MaxReconnectDelayMs"/> (reset once a connection is made).
/// </summary>
public sealed class Connector
{
    private const int FirstDelayMs = 1000;

    private readonly Service _service;
    private readonly object _lock = new();
    private CancellationTokenSource? _stop;
    private TaskCompletionSource<AsyncSocket> _ready = NewReady();
    private AsyncSocket? _socket;

    internal Connector(Service service, ConnectorOptions options)
    {
        _service = service;
        Options = options;
    }

    public ConnectorOptions Options { get; }

    /// <summary>"host:port".</summary>
    public string Name => $"{Options.HostNameOrAddress}:{Options.Port}";

    /// <summary>The current connection, ready or not (null while disconnected).</summary>
    public AsyncSocket? Socket
    {
        get { lock (_lock) return _socket; }
    }

    /// <summary>Connection attempts made so far (for diagnostics and tests).</summary>
    public int ConnectAttempts { get; private set; }

    /// <summary>
    /// The connection once its handshake is done; waits up to <paramref name="timeout"/> (default
    /// <see cref="ConnectorOptions.ReadyTimeoutMs"/>) across reconnects. Throws <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<AsyncSocket> GetReadySocketAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromMilliseconds(Options.ReadyTimeoutMs);
        var deadline = _service.TimeProvider.GetTimestamp() + (long)(limit.TotalSeconds * _service.TimeProvider.TimestampFrequency);
        while (true)
        {
            Task<AsyncSocket> ready;
            lock (_lock) ready = _ready.Task;
            var left = _service.TimeProvider.GetElapsedTime(_service.TimeProvider.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{_service.Name}: no ready connection to {Name} within {limit.TotalMilliseconds} ms");
            var so = await ready.WaitAsync(left, _service.TimeProvider, cancellationToken).ConfigureAwait(false);
            if (!so.IsClosed) return so;
            // closed between ready and now: wait for the next one
            await Task.Yield();
        }
    }

    internal void Start()
    {
        lock (_lock)
        {
            if (_stop != null) return;
            _stop = new CancellationTokenSource();
        }
        _ = RunAsync(_stop.Token);
    }

    internal void Stop()
    {
        AsyncSocket? so;
        lock (_lock)
        {
            _stop?.Cancel();
            _stop = null;
            so = _socket;
        }
        so?.Close("connector stopped");
    }

    private async Task RunAsync(CancellationToken stop)
    {
        int delay = FirstDelayMs;
        while (!stop.IsCancellationRequested)
        {
            AsyncSocket? so = null;
            ConnectAttempts++;
            try
            {
                so = await _service.ConnectAsync(Options.HostNameOrAddress, Options.Port, this, stop).ConfigureAwait(false);
                delay = FirstDelayMs;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                NetLog.ConnectFailed(_service.Logger, _service.Name, Name, Options.AutoReconnect ? delay : -1, e.Message);
            }
            if (so != null)
            {
                await so.Closed.ConfigureAwait(false);
                if (stop.IsCancellationRequested) return;
            }
            if (!Options.AutoReconnect) return;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay), _service.TimeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (so == null) delay = Math.Min(delay * 2, Math.Max(FirstDelayMs, Options.MaxReconnectDelayMs));
        }
    }

    // Called by the service while the socket is being created (before its receive loop starts).
    internal void OnHandshakeDone(AsyncSocket so)
    {
        lock (_lock)
        {
            if (_socket != so)
            {
                so.Close("not owner: the connector has another connection");
                return;
            }
            _ready.TrySetResult(so);
        }
    }

    internal void OnSocketCreated(AsyncSocket so)
    {
        lock (_lock) _socket = so;
    }

    internal void OnSocketClosed(AsyncSocket so)
    {
        lock (_lock)
        {
            if (_socket != so) return;
            _socket = null;
            if (_ready.Task.IsCompleted) _ready = NewReady();
        }
    }

    private static TaskCompletionSource<AsyncSocket> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
