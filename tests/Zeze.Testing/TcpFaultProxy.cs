using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Zeze.Testing;

/// <summary>
/// A TCP proxy on loopback that injects network faults between a client and a server, per direction:
/// <list type="bullet">
/// <item><see cref="SetDelay"/>: every chunk arrives that much later (order and throughput kept).</item>
/// <item><see cref="Pause"/>/<see cref="Resume"/>: hold the bytes (a partition that heals: TCP keeps them, nothing is lost).</item>
/// <item><see cref="SetDrop"/>: discard the bytes while set (a black hole: the stream is broken for good).</item>
/// <item><see cref="CutAll"/>: reset every current connection (both sides see it closed).</item>
/// <item><see cref="RejectNewConnections"/>: new connections are accepted and reset at once.</item>
/// </list>
/// The target can be changed (<see cref="SetTarget"/>) for new connections, e.g. to a restarted server on a new port.
/// Settings apply at once to current and new connections. Only for loopback tests.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<ProxyLink, byte> _links = new();
    private readonly DirectionState[] _directions = [new(), new()];
    private string _targetHost;
    private int _targetPort;
    private Task? _acceptLoop;

    private TcpFaultProxy(string targetHost, int targetPort, int listenPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort));
        _listener.Listen(128);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    /// <summary>The port clients connect to (on 127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port", for configurations.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>New connections are accepted and reset at once.</summary>
    public bool RejectNewConnections { get; set; }

    public int ActiveConnections => _links.Count;

    /// <summary>Connections accepted so far (including rejected ones).</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    private int _accepted;

    public static TcpFaultProxy Start(string targetHost, int targetPort, int listenPort = 0)
    {
        var proxy = new TcpFaultProxy(targetHost, targetPort, listenPort);
        proxy._acceptLoop = proxy.AcceptLoopAsync();
        return proxy;
    }

    public void SetTarget(string host, int port)
    {
        lock (_directions)
        {
            _targetHost = host;
            _targetPort = port;
        }
    }

    public void SetDelay(ProxyDirection direction, TimeSpan delay) => _directions[(int)direction].DelayTicks = delay.Ticks;

    public void SetDelay(TimeSpan delay)
    {
        SetDelay(ProxyDirection.ClientToServer, delay);
        SetDelay(ProxyDirection.ServerToClient, delay);
    }

    public void Pause(ProxyDirection direction) => _directions[(int)direction].Gate.Close();

    public void Resume(ProxyDirection direction) => _directions[(int)direction].Gate.Open();

    /// <summary>Holds both directions (a partition; <see cref="Resume()"/> heals it).</summary>
    public void Pause()
    {
        Pause(ProxyDirection.ClientToServer);
        Pause(ProxyDirection.ServerToClient);
    }

    public void Resume()
    {
        Resume(ProxyDirection.ClientToServer);
        Resume(ProxyDirection.ServerToClient);
    }

    public void SetDrop(ProxyDirection direction, bool drop) => _directions[(int)direction].Drop = drop;

    /// <summary>Resets every current connection; returns how many.</summary>
    public int CutAll()
    {
        int n = 0;
        foreach (var link in _links.Keys)
        {
            link.Cut();
            n++;
        }
        return n;
    }

    /// <summary>Bytes delivered in <paramref name="direction"/> so far.</summary>
    public long BytesForwarded(ProxyDirection direction) => Interlocked.Read(ref _directions[(int)direction].Bytes);

    /// <summary>Clears every fault (no delay, no hold, no drop, connections accepted).</summary>
    public void Heal()
    {
        SetDelay(TimeSpan.Zero);
        SetDrop(ProxyDirection.ClientToServer, false);
        SetDrop(ProxyDirection.ServerToClient, false);
        Resume();
        RejectNewConnections = false;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            Interlocked.Increment(ref _accepted);
            if (RejectNewConnections)
            {
                ProxyLink.Reset(client);
                continue;
            }
            _ = ConnectAsync(client);
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        string host;
        int port;
        lock (_directions) (host, port) = (_targetHost, _targetPort);
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(host, port, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            ProxyLink.Reset(client);
            server.Dispose();
            return;
        }
        client.NoDelay = true;
        var link = new ProxyLink(client, server, _directions, _stop.Token);
        _links[link] = 0;
        await link.RunAsync().ConfigureAwait(false);
        _links.TryRemove(link, out _);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var link in _links.Keys) link.Cut();
        if (_acceptLoop != null) await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    internal sealed class DirectionState
    {
        public readonly AsyncGate Gate = new();
        public long DelayTicks;
        public volatile bool Drop;
        public long Bytes;
    }
}
