using System.Net;
using System.Net.Sockets;
using Zeze.Serialize;

namespace Zeze.Net;

/// <summary>
/// One TCP connection of a <see cref="Service"/>: a receive loop that parses frames and dispatches them,
/// and a send loop that writes whatever was queued since its last write in one call. Both loops use the
/// socket's ValueTask operations, which reuse one internal event-args object per direction, so steady
/// traffic allocates nothing here.
/// </summary>
public sealed partial class AsyncSocket
{
    private static long s_lastSessionId;

    private readonly Socket _socket;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closeState; // 0 open, 1 closed

    internal AsyncSocket(Service service, Socket socket, bool isAccepted, Connector? connector)
    {
        Service = service;
        _socket = socket;
        IsAccepted = isAccepted;
        Connector = connector;
        SessionId = Interlocked.Increment(ref s_lastSessionId);
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        long now = service.TimeProvider.GetTimestamp();
        // Both start now, so a fresh connection that stays silent is reaped after the receive timeout, not
        // on the first scan (Zeze C# left lastRecv at 0).
        _lastReceiveTimestamp = now;
        _lastSendTimestamp = now;
        var options = service.Options;
        _input = ByteBuffer.Allocate(options.InputBufferSize);
        _frame = ByteBuffer.Wrap([]);
        _pending = ByteBuffer.Allocate(InitialOutputCapacity);
        _sending = ByteBuffer.Allocate(InitialOutputCapacity);
        _maxFrameSize = options.InputBufferMaxProtocolSize;
        _receiveSize = options.InputBufferSize;
        _outputLimit = options.OutputBufferMaxSize;
    }

    /// <summary>Process-wide unique id of this connection (not an rpc session id).</summary>
    public long SessionId { get; }

    public Service Service { get; }

    /// <summary>True for a connection accepted by a listener (the server side of the handshake).</summary>
    public bool IsAccepted { get; }

    /// <summary>The connector that made this connection, if any.</summary>
    public Connector? Connector { get; }

    public EndPoint? RemoteEndPoint { get; }
    public EndPoint? LocalEndPoint { get; }

    /// <summary>Application data attached to the connection (e.g. the logged-in account).</summary>
    public object? UserState { get; set; }

    /// <summary>True once the handshake finished (at once for services without one).</summary>
    public bool IsHandshakeDone { get; private set; }

    /// <summary>Completes with true when the connection is ready for application messages (handshake
    /// done), or with false when it closed before.</summary>
    public Task<bool> Ready => _ready.Task;

    internal void MarkHandshakeDone()
    {
        IsHandshakeDone = true;
        _ready.TrySetResult(true);
    }

    public bool IsClosed => Volatile.Read(ref _closeState) != 0;

    /// <summary>Why the connection closed (null while open).</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Completes when the connection has closed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>The socket's own options (e.g. to read the local port); do not read or write through it.</summary>
    public Socket Socket => _socket;

    // ---- handshake state (owned by HandshakeService on the receive loop) ----
    internal object? HandshakeContext;
    internal int HandshakeEncryptType;
    internal int HandshakeCompressS2c;
    internal int HandshakeCompressC2s;

    /// <summary>The encrypt type the handshake settled on (0 when none or not yet).</summary>
    public int EncryptType => HandshakeEncryptType;

    /// <summary>Whether each direction is compressed, as the handshake settled.</summary>
    public int CompressS2c => HandshakeCompressS2c;
    public int CompressC2s => HandshakeCompressC2s;

    internal long LastReceiveTimestamp => Volatile.Read(ref _lastReceiveTimestamp);
    internal long LastSendTimestamp => Volatile.Read(ref _lastSendTimestamp);

    internal void Start()
    {
        _ = SendLoopAsync();
    }

    internal void StartReceiving()
    {
        _ = ReceiveLoopAsync();
    }

    /// <summary>
    /// Closes at once: queued output is dropped, the reason is logged (once) and the service's
    /// <see cref="Service.OnSocketClosed"/> runs. Further calls do nothing.
    /// </summary>
    public void Close(string reason, Exception? error = null)
    {
        if (Interlocked.Exchange(ref _closeState, 1) != 0) return;
        CloseReason = reason;
        try
        {
            _socket.Dispose(); // aborts both loops' pending operations
        }
        catch (Exception)
        {
            // disposing a socket that failed already may throw; the connection is gone either way
        }
        WakeSendLoop();
        Service.SocketClosed(this, reason, error);
        _ready.TrySetResult(false);
        _closed.TrySetResult();
    }

    /// <summary>Stops accepting sends and closes once everything queued has been written.</summary>
    public void CloseAfterFlush(string reason)
    {
        lock (_sendLock)
        {
            if (_closeAfterFlush != null) return;
            _closeAfterFlush = reason;
        }
        WakeSendLoop();
    }

    public override string ToString() => $"AsyncSocket({SessionId}, {RemoteEndPoint})";

    /// <summary>A short description of why an operation failed, for the close reason.</summary>
    private static string Describe(Exception e) => e switch
    {
        SocketException se => $"socket error {se.SocketErrorCode}",
        DecodeException => "protocol error: " + e.Message,
        ObjectDisposedException => "socket disposed",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>Errors that are ordinary ways for a connection to end (logged without a stack).</summary>
    private static bool IsOrdinary(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.OperationAborted or SocketError.Shutdown }
        or ObjectDisposedException;
}
