using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zeze.Net;
using Zeze.Serialize;
using Zeze.Transaction;

namespace Zeze.Services.GlobalCache;

/// <summary>
/// One Global Cache Manager instance (global-and-raft.md part A): grants Share/Modify ownership of keys to app
/// servers and takes it back with Reduce, keeping their caches coherent. Each key is an async actor with a FIFO
/// of pending requests; no thread ever waits for a reduce. Embeddable (tests) and run by <c>zeze gcm</c>.
/// </summary>
public sealed partial class GlobalCacheManagerServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Binary, GcmKey> _keys = new();
    private readonly ConcurrentDictionary<int, GcmSession> _sessions = new();
    private readonly GcmService _service;
    private readonly ILogger _logger;
    private readonly GcmMetrics _metrics;
    private readonly HotKeyTracker _hotKeys;
    private readonly int _quarantineMs;
    private readonly int _daemonPeriodMs;
    private long _startTimestamp;
    private long _quarantineEnd;
    private int _quarantineLogged;
    private ITimer? _daemonTimer;
    private int _started;
    private int _stopped;

    public GlobalCacheManagerServer(GlobalCacheManagerOptions options, ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException($"Global cache manager options are invalid: {string.Join(" ", errors)}", nameof(options));
        Options = options;
        Timing = options.Timing;
        TimeProvider = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("Zeze.GlobalCacheManager");
        _quarantineMs = options.QuarantineMs ?? Timing.GlobalDaemonTimeout;
        _daemonPeriodMs = options.DaemonPeriodMs ?? Timing.GlobalDaemonPeriod;
        _hotKeys = new HotKeyTracker(options.HotKeyCount);
        _metrics = new GcmMetrics(options.InstanceIndex, meterFactory, () => _keys.Count, CountConnectedSessions);

        var net = CopyNetworkOptions(options.Network);
        net.Acceptors.Add(new AcceptorOptions { Ip = options.Host, Port = options.Port });
        _service = new GcmService(this, net, loggerFactory, TimeProvider);
        Register<Acquire>(Acquire.TypeId_, static () => new Acquire(), (s, p) => s.ProcessAcquire((Acquire)p));
        Register<Login>(Login.TypeId_, static () => new Login(), (s, p) => s.ProcessLoginAsync((Login)p));
        Register<ReLogin>(ReLogin.TypeId_, static () => new ReLogin(), (s, p) => s.ProcessReLogin((ReLogin)p));
        Register<NormalClose>(NormalClose.TypeId_, static () => new NormalClose(), (s, p) => s.ProcessNormalCloseAsync((NormalClose)p));
        Register<GlobalKeepAlive>(GlobalKeepAlive.TypeId_, static () => new GlobalKeepAlive(), (s, p) => s.ProcessKeepAlive((GlobalKeepAlive)p));
        Register<GlobalStatus>(GlobalStatus.TypeId_, static () => new GlobalStatus(), (s, p) => s.ProcessStatus((GlobalStatus)p));
        // Reduce: this side only sends it; the factory decodes the responses.
        _service.AddFactoryHandle(Reduce.TypeId_, new ProtocolFactoryHandle(static () => new Reduce(), null, TransactionLevel.None,
            "Zeze.Services.GlobalCacheManager.Reduce"));
    }

    public GlobalCacheManagerOptions Options { get; }

    /// <summary>The timing derived from the options (sent to every server in the Login reply).</summary>
    public AchillesHeelTiming Timing { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The network service (for diagnostics and tests).</summary>
    public Service Service => _service;

    /// <summary>Where it listens, once started.</summary>
    public IPEndPoint? LocalEndPoint => _service.Acceptors.Count > 0 ? _service.Acceptors[0].LocalEndPoint : null;

    /// <summary>The port it listens on, once started (useful with port 0).</summary>
    public int Port => LocalEndPoint?.Port ?? 0;

    /// <summary>True during the start-up quarantine (only Login/ReLogin served).</summary>
    public bool InQuarantine => QuarantineRemainingMs > 0;

    public long QuarantineRemainingMs
    {
        get
        {
            long end = Volatile.Read(ref _quarantineEnd);
            if (end == 0) return 0;
            long left = (long)TimeProvider.GetElapsedTime(TimeProvider.GetTimestamp(), end).TotalMilliseconds;
            if (left > 0) return left;
            if (Interlocked.Exchange(ref _quarantineLogged, 1) == 0) GcmLog.QuarantineOver(_logger, Options.InstanceIndex);
            return 0;
        }
    }

    /// <summary>Keys currently held by some server.</summary>
    public int KeyCount => _keys.Count;

    /// <summary>Opens the listener and starts the quarantine and the daemon.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("the global cache manager was already started");
        long now = TimeProvider.GetTimestamp();
        _startTimestamp = now;
        if (_quarantineMs > 0) Volatile.Write(ref _quarantineEnd, now + _quarantineMs * TimeProvider.TimestampFrequency / 1000);
        await _service.StartAsync(cancellationToken).ConfigureAwait(false);
        var period = TimeSpan.FromMilliseconds(_daemonPeriodMs);
        _daemonTimer = TimeProvider.CreateTimer(static s => ((GlobalCacheManagerServer)s!).OnDaemonTimer(), this, period, period);
        GcmLog.Started(_logger, Options.InstanceIndex, LocalEndPoint?.ToString() ?? "?", Timing.ToString(), _quarantineMs);
    }

    /// <summary>Closes the listener and every connection. Sessions and key ownership are lost with the process.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _daemonTimer?.Dispose();
        _daemonTimer = null;
        await _service.StopAsync(cancellationToken).ConfigureAwait(false);
        GcmLog.Stopped(_logger, Options.InstanceIndex);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }

    private long Now => TimeProvider.GetTimestamp();

    private long ElapsedMs(long since, long now) => (now - since) * 1000 / TimeProvider.TimestampFrequency;

    private void Register<T>(long typeId, Func<Protocol> factory, Func<GlobalCacheManagerServer, Protocol, ValueTask<long>> handle) where T : Protocol =>
        _service.AddFactoryHandle(typeId, new ProtocolFactoryHandle(factory, p => handle(this, p), TransactionLevel.None,
            "Zeze.Services.GlobalCacheManager." + typeof(T).Name));

    private static ServiceOptions CopyNetworkOptions(ServiceOptions? o)
    {
        // The GCM watches activity itself (AchillesHeel): the generic keep-alive would close idle but healthy
        // sessions on its own schedule, so it is off.
        var copy = new ServiceOptions { KeepCheckPeriod = 0 };
        if (o == null) return copy;
        copy.NoDelay = o.NoDelay;
        copy.SendBuffer = o.SendBuffer;
        copy.ReceiveBuffer = o.ReceiveBuffer;
        copy.InputBufferSize = o.InputBufferSize;
        copy.InputBufferMaxProtocolSize = o.InputBufferMaxProtocolSize;
        copy.OutputBufferMaxSize = o.OutputBufferMaxSize;
        copy.Backlog = o.Backlog;
        copy.DispatchToThreadPool = o.DispatchToThreadPool;
        copy.RpcTimerTickMs = o.RpcTimerTickMs;
        return copy;
    }

    private long CountConnectedSessions()
    {
        int n = 0;
        foreach (var s in _sessions.Values)
            if (s.Socket != null) n++;
        return n;
    }

    /// <summary>The listening service: unbinds a session when its connection closes (never releases: A9).</summary>
    private sealed class GcmService(GlobalCacheManagerServer owner, ServiceOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
        : Service("GlobalCacheManager", options, loggerFactory, null, timeProvider)
    {
        protected override void OnSocketClosed(AsyncSocket socket, string reason, Exception? error) => owner.OnSocketClosed(socket, reason);
    }
}
