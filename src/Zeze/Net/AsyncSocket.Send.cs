using System.Net.Sockets;
using Zeze.Net.Codec;
using Zeze.Serialize;

namespace Zeze.Net;

// Sending: frame -> compress -> encrypt -> queue -> socket (B7, B10).
public sealed partial class AsyncSocket
{
    private const int InitialOutputCapacity = 4096;
    private const int ShrinkOutputAbove = 256 * 1024;

    private readonly Lock _sendLock = new();

    // The socket whose receive loop is dispatching on this thread. Frames it sends to itself (responses
    // from inline handlers, follow-up requests from inline continuations) only wake the send loop once
    // the whole received batch is dispatched: one wake-up and one write for the batch, and no swap
    // racing the appends.
    [ThreadStatic] private static AsyncSocket? t_dispatching;
    private bool _wakeDeferred;
    private readonly SendWakeup _wakeup = new();
    private readonly int _outputLimit;
    private ByteBuffer _pending;   // appended to under _sendLock
    private ByteBuffer _sending;   // owned by the send loop while it writes
    private int _sendingBytes;     // bytes of _sending not yet written (counted against the limit)
    private int _framesQueued;
    private bool _sendScheduled;   // the send loop was woken (or is running) for the current _pending
    private string? _closeAfterFlush;
    private MppcCompressor? _compressor;
    private AesCfbCipher? _encryptor;
    private long _lastSendTimestamp;

    /// <summary>Bytes queued and not yet written to the socket.</summary>
    public int PendingOutputBytes
    {
        get { lock (_sendLock) return _pending.Size + _sendingBytes; }
    }

    /// <summary>Installs the send codecs (handshake); every frame queued after this call goes through them.</summary>
    internal void SetOutputCodec(MppcCompressor? compressor, AesCfbCipher? encryptor)
    {
        lock (_sendLock)
        {
            _compressor = compressor;
            _encryptor = encryptor;
        }
    }

    /// <summary>Encodes and queues <paramref name="protocol"/>; see <see cref="Send(ReadOnlySpan{byte})"/>.</summary>
    public bool Send(Protocol protocol)
    {
        var bb = ByteBuffer.Rent();
        try
        {
            protocol.EncodeFrame(bb);
            return Send(bb.Span);
        }
        finally
        {
            ByteBuffer.Return(bb);
        }
    }

    /// <summary>
    /// Queues whole frames (already framed, B1) for sending. False when the connection is closed or
    /// closing; a send that would pass <see cref="ServiceOptions.OutputBufferMaxSize"/> closes it.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> frames)
    {
        bool wake = false;
        int queued;
        lock (_sendLock)
        {
            if (IsClosed || _closeAfterFlush != null) return false;
            queued = _pending.Size + _sendingBytes;
            if ((long)queued + frames.Length <= _outputLimit)
            {
                int start = _pending.WriteIndex;
                if (_compressor != null) _compressor.Compress(frames, _pending);
                else _pending.Append(frames);
                _encryptor?.Transform(_pending.Bytes.AsSpan(start, _pending.WriteIndex - start));
                _framesQueued++;
                if (!_sendScheduled)
                {
                    if (t_dispatching == this)
                    {
                        _wakeDeferred = true;
                    }
                    else
                    {
                        _sendScheduled = true;
                        wake = true;
                    }
                }
                queued = -1;
            }
        }
        if (queued >= 0)
        {
            Close($"output buffer overflow: {queued} bytes queued and {frames.Length} more exceed OutputBufferMaxSize {_outputLimit}; the peer is not reading");
            return false;
        }
        if (wake) _wakeup.Signal();
        return true;
    }

    private void WakeSendLoop()
    {
        bool wake = false;
        lock (_sendLock)
        {
            _wakeDeferred = false;
            if (!_sendScheduled)
            {
                _sendScheduled = true;
                wake = true;
            }
        }
        if (wake) _wakeup.Signal();
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                bool idle = false;
                string? closeNow = null;
                int frames = 0;
                lock (_sendLock)
                {
                    _sendingBytes = 0;
                    if (IsClosed) return;
                    if (_pending.Size == 0)
                    {
                        closeNow = _closeAfterFlush;
                        _sendScheduled = false;
                        _wakeup.Reset();
                        idle = true;
                    }
                    else
                    {
                        (_pending, _sending) = (_sending, _pending);
                        _sendingBytes = _sending.Size;
                        frames = _framesQueued;
                        _framesQueued = 0;
                    }
                }
                if (closeNow != null)
                {
                    Close(closeNow);
                    return;
                }
                if (idle)
                {
                    await _wakeup.WaitAsync().ConfigureAwait(false);
                    continue;
                }
                var batch = _sending;
                int total = batch.Size;
                while (batch.Size > 0)
                {
                    int n = await _socket.SendAsync(batch.Memory, SocketFlags.None).ConfigureAwait(false);
                    batch.ReadIndex += n;
                }
                Volatile.Write(ref _lastSendTimestamp, Service.TimeProvider.GetTimestamp());
                var tag = NetMetrics.ServiceTag(Service.Name);
                NetMetrics.BytesSent.Add(total, tag);
                NetMetrics.FramesSent.Add(frames, tag);
                if (batch.Capacity > ShrinkOutputAbove) _sending = ByteBuffer.Allocate(InitialOutputCapacity); // give a burst's memory back
                else batch.Reset();
            }
        }
        catch (Exception e)
        {
            if (!IsClosed) Close(Describe(e), IsOrdinary(e) ? null : e);
        }
    }
}
