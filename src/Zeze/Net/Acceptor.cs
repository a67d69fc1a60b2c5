using System.Net;
using System.Net.Sockets;

namespace Zeze.Net;

/// <summary>A listening socket: each accepted connection joins the service (B11).</summary>
public sealed class Acceptor
{
    private readonly Service _service;
    private Socket? _listener;

    internal Acceptor(Service service, AcceptorOptions options)
    {
        _service = service;
        Options = options;
    }

    public AcceptorOptions Options { get; }

    /// <summary>The bound address (with the real port when the options asked for port 0).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    internal void Start()
    {
        var address = string.IsNullOrEmpty(Options.Ip) ? IPAddress.IPv6Any : IPAddress.Parse(Options.Ip);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any)) listener.DualMode = true; // empty Ip: every IPv4 and IPv6 address
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // Buffer sizes set on the listener are inherited by accepted sockets (before the handshake of TCP).
            if (_service.Options.SendBuffer > 0) listener.SendBufferSize = _service.Options.SendBuffer;
            if (_service.Options.ReceiveBuffer > 0) listener.ReceiveBufferSize = _service.Options.ReceiveBuffer;
            listener.Bind(new IPEndPoint(address, Options.Port));
            listener.Listen(_service.Options.Backlog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        NetLog.Listening(_service.Logger, _service.Name, LocalEndPoint.ToString());
        _ = AcceptLoopAsync(listener);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || (e is SocketException se && se.SocketErrorCode == SocketError.OperationAborted))
            {
                return; // stopped
            }
            catch (SocketException e)
            {
                // Out of file descriptors and the like: keep the listener, slow down.
                NetLog.AcceptFailed(_service.Logger, _service.Name, LocalEndPoint?.ToString() ?? "?", e);
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }
            try
            {
                _service.Accepted(socket);
            }
            catch (Exception e)
            {
                NetLog.AcceptFailed(_service.Logger, _service.Name, LocalEndPoint?.ToString() ?? "?", e);
                socket.Dispose();
            }
        }
    }

    internal void Stop()
    {
        _listener?.Dispose();
        _listener = null;
    }
}
