using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zeze.Net.Handshake;
using Zeze.Transaction;

namespace Zeze.Net;

/// <summary>
/// A named set of connections sharing protocol handlers and options: the listeners
/// (<see cref="Acceptor"/>) and outgoing connections (<see cref="Connector"/>) of one role, e.g. the
/// server's client-facing service. This base class does no handshake: every connection is ready at once.
/// Derive from <see cref="HandshakeServer"/>, <see cref="HandshakeClient"/> or <see cref="HandshakeBoth"/>
/// for Zeze's key exchange, encryption and compression.
/// </summary>
public partial class Service : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, AsyncSocket> _sockets = new();
    private readonly List<Acceptor> _acceptors = [];
    private readonly List<Connector> _connectors = [];
    private readonly object _lifecycleLock = new();
    private Dictionary<long, ProtocolFactoryHandle> _factories = new(); // copy-on-write: read without a lock
    private ITimer? _keepAliveTimer;
    private bool _started;

    public Service(string name, ServiceOptions? options = null, ILoggerFactory? loggerFactory = null,
        IProcedureRunner? procedureRunner = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= new ServiceOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException($"Zeze service '{name}' options are invalid: {string.Join(" ", errors)}", nameof(options));
        Name = name;
        Options = options;
        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Zeze.Net.Service." + name);
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        ProcedureRunner = procedureRunner;
        Pending = new RpcPending(this, TimeProvider, options.RpcTimerTickMs);
        AddFactoryHandle(KeepAlive.TypeId_, new ProtocolFactoryHandle(
            static () => new KeepAlive(), static p => ProcessKeepAlive((KeepAlive)p), TransactionLevel.None, "Zeze.Services.Handshake.KeepAlive"));
    }

    public string Name { get; }
    public ServiceOptions Options { get; }
    public TimeProvider TimeProvider { get; }
    public ILogger Logger { get; }
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Runs handlers whose level is not <see cref="TransactionLevel.None"/> as procedures; null runs every handler directly.</summary>
    public IProcedureRunner? ProcedureRunner { get; set; }

    internal RpcPending Pending { get; }

    /// <summary>Requests sent from this service that wait for a response.</summary>
    public int PendingRpcCount => Pending.Count;

    // ---- protocol registry ----

    /// <summary>Registers how to build and handle the protocol with <paramref name="typeId"/> (replacing any earlier one).</summary>
    public void AddFactoryHandle(long typeId, ProtocolFactoryHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_lifecycleLock)
        {
            var next = new Dictionary<long, ProtocolFactoryHandle>(_factories) { [typeId] = handle };
            Volatile.Write(ref _factories, next);
        }
    }

    public bool RemoveFactoryHandle(long typeId)
    {
        lock (_lifecycleLock)
        {
            if (!_factories.ContainsKey(typeId)) return false;
            var next = new Dictionary<long, ProtocolFactoryHandle>(_factories);
            next.Remove(typeId);
            Volatile.Write(ref _factories, next);
            return true;
        }
    }

    public bool TryGetFactoryHandle(long typeId, out ProtocolFactoryHandle handle) =>
        Volatile.Read(ref _factories).TryGetValue(typeId, out handle!);

    // ---- sockets ----

    public int SocketCount => _sockets.Count;
    public ICollection<AsyncSocket> Sockets => _sockets.Values;
    public AsyncSocket? GetSocket(long sessionId) => _sockets.TryGetValue(sessionId, out var so) ? so : null;

    public IReadOnlyList<Acceptor> Acceptors
    {
        get { lock (_lifecycleLock) return [.. _acceptors]; }
    }

    public IReadOnlyList<Connector> Connectors
    {
        get { lock (_lifecycleLock) return [.. _connectors]; }
    }

    /// <summary>Rpc session ids; process-wide by default (Zeze's SessionIdGenerator hook).</summary>
    public virtual long NextSessionId() => RpcPending.NextProcessSessionId();

    // ---- lifecycle ----

    /// <summary>Opens the configured acceptors and connectors and starts the timers.</summary>
    public virtual Task StartAsync(CancellationToken cancellationToken = default)
    {
        List<Acceptor> acceptors;
        List<Connector> connectors;
        lock (_lifecycleLock)
        {
            if (_started) return Task.CompletedTask;
            _started = true;
            foreach (var a in Options.Acceptors) _acceptors.Add(new Acceptor(this, a));
            foreach (var c in Options.Connectors) _connectors.Add(new Connector(this, c));
            acceptors = [.. _acceptors];
            connectors = [.. _connectors];
        }
        Pending.Start();
        StartKeepAlive();
        try
        {
            foreach (var a in acceptors) a.Start();
        }
        catch
        {
            foreach (var a in acceptors) a.Stop();
            throw;
        }
        foreach (var c in connectors) c.Start();
        return Task.CompletedTask;
    }

    /// <summary>Adds a listener (started at once if the service is running).</summary>
    public Acceptor AddAcceptor(AcceptorOptions options)
    {
        var acceptor = new Acceptor(this, options);
        bool start;
        lock (_lifecycleLock)
        {
            _acceptors.Add(acceptor);
            start = _started;
        }
        if (start) acceptor.Start();
        return acceptor;
    }

    /// <summary>Adds a managed connection (started at once if the service is running).</summary>
    public Connector AddConnector(ConnectorOptions options)
    {
        var connector = new Connector(this, options);
        bool start;
        lock (_lifecycleLock)
        {
            _connectors.Add(connector);
            start = _started;
        }
        if (start) connector.Start();
        return connector;
    }

    /// <summary>Zeze's <c>Connect</c>: the connector to host:port, added if there is none yet.</summary>
    public Connector GetOrAddConnector(string hostNameOrAddress, int port, bool autoReconnect = true)
    {
        lock (_lifecycleLock)
        {
            foreach (var c in _connectors)
                if (c.Options.HostNameOrAddress == hostNameOrAddress && c.Options.Port == port) return c;
        }
        return AddConnector(new ConnectorOptions { HostNameOrAddress = hostNameOrAddress, Port = port, AutoReconnect = autoReconnect });
    }

    /// <summary>
    /// Opens one connection (no reconnect) and returns it once connected; the handshake, if any, then
    /// runs on its own (see <see cref="AsyncSocket.Ready"/>).
    /// </summary>
    public Task<AsyncSocket> ConnectAsync(string hostNameOrAddress, int port, CancellationToken cancellationToken = default) =>
        ConnectAsync(hostNameOrAddress, port, connector: null, cancellationToken);

    internal async Task<AsyncSocket> ConnectAsync(string host, int port, Connector? connector, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = IPAddress.TryParse(host, out var ip)
            ? [ip]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                ConfigureSocket(socket);
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                last = e;
                if (e is OperationCanceledException) throw;
                continue;
            }
            var so = new AsyncSocket(this, socket, isAccepted: false, connector);
            connector?.OnSocketCreated(so);
            NetLog.Connected(Logger, Name, $"{host}:{port}", so.SessionId);
            AddSocket(so);
            so.Start();
            OnSocketConnected(so);
            so.StartReceiving();
            return so;
        }
        throw last!;
    }

    internal void ConfigureSocket(Socket socket)
    {
        socket.NoDelay = Options.NoDelay;
        if (Options.SendBuffer > 0) socket.SendBufferSize = Options.SendBuffer;
        if (Options.ReceiveBuffer > 0) socket.ReceiveBufferSize = Options.ReceiveBuffer;
    }

    internal void Accepted(Socket socket)
    {
        ConfigureSocket(socket);
        var so = new AsyncSocket(this, socket, isAccepted: true, connector: null);
        AddSocket(so);
        so.Start();
        OnSocketAccepted(so);
        so.StartReceiving();
    }

    private void AddSocket(AsyncSocket so)
    {
        _sockets[so.SessionId] = so;
        NetMetrics.Connections.Add(1, NetMetrics.ServiceTag(Name));
    }

    internal void SocketClosed(AsyncSocket so, string reason, Exception? error)
    {
        if (error == null) NetLog.SocketClosed(Logger, Name, so.SessionId, so.RemoteEndPoint?.ToString(), reason);
        else NetLog.SocketClosedOnError(Logger, Name, so.SessionId, so.RemoteEndPoint?.ToString(), reason, error);
        if (_sockets.TryRemove(so.SessionId, out _))
        {
            var tag = NetMetrics.ServiceTag(Name);
            NetMetrics.Connections.Add(-1, tag);
            NetMetrics.ConnectionsClosed.Add(1, tag);
        }
        try
        {
            OnSocketClosed(so, reason, error);
        }
        finally
        {
            so.Connector?.OnSocketClosed(so);
        }
    }

    /// <summary>Closes listeners, connectors and every connection; stops the timers.</summary>
    public virtual Task StopAsync(CancellationToken cancellationToken = default)
    {
        List<Acceptor> acceptors;
        List<Connector> connectors;
        lock (_lifecycleLock)
        {
            _started = false;
            acceptors = [.. _acceptors];
            connectors = [.. _connectors];
            _acceptors.Clear();
            _connectors.Clear();
        }
        foreach (var a in acceptors) a.Stop();
        foreach (var c in connectors) c.Stop();
        foreach (var so in _sockets.Values) so.Close("service stopped");
        _keepAliveTimer?.Dispose();
        _keepAliveTimer = null;
        Pending.Stop(Zeze.ResultCode.Closed);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    // ---- hooks ----

    /// <summary>A listener accepted <paramref name="socket"/>. Default (no handshake): it is ready at once.</summary>
    protected internal virtual void OnSocketAccepted(AsyncSocket socket) => OnHandshakeDone(socket);

    /// <summary>A connection to a server was made. Default (no handshake): it is ready at once.</summary>
    protected internal virtual void OnSocketConnected(AsyncSocket socket) => OnHandshakeDone(socket);

    /// <summary>The connection is ready for application messages.</summary>
    protected internal virtual void OnHandshakeDone(AsyncSocket socket)
    {
        socket.MarkHandshakeDone();
        socket.Connector?.OnHandshakeDone(socket);
    }

    /// <summary>The connection closed (it is already out of <see cref="Sockets"/>).</summary>
    protected virtual void OnSocketClosed(AsyncSocket socket, string reason, Exception? error)
    {
    }
}
