using System.Net.Sockets;
using Zeze.Net.Codec;
using Zeze.Serialize;

namespace Zeze.Net;

// Sending: frame -> compress -> encrypt -> queue -> socket (B7, B10).
public sealed partial class AsyncSocket
{
    private const int InitialOutputCapacity = 4096;
    private const int ShrinkOutputAbove = 256 * 1024;

    // Up to this many bytes queued by one received batch are written by the receive loop itself. A
    // request-response exchange then costs no thread hop; a bigger batch (many pipelined requests) is
    // written by the send loop on another core while the receive loop goes on reading.
    private const int InlineFlushMaxBytes = 4096;

    // While the receive loop dispatches a batch and has queued output, the send loop leaves that output
    // (and whatever other threads queued meanwhile) to the end of the batch, up to this many bytes: it
    // would otherwise catch the batch half done and write it in pieces (more system calls, each carrying
    // fewer frames). Beyond it the send loop streams as usual. Other threads' sends only wait when such a
    // flush is coming anyway; otherwise they wake the send loop at once.
    private const int DeferWhileDispatchingMaxBytes = 64 * 1024;

    private readonly Lock _sendLock = new();

    // The socket whose receive loop is dispatching on this thread. Frames it sends to itself (responses
    // from inline handlers, follow-up requests from inline continuations) only wake the send loop once
    // the whole received batch is dispatched: one wake-up and one write for the batch, and no swap
    // racing the appends.
    [ThreadStatic] private static AsyncSocket? t_dispatching;
    private bool _wakeDeferred;   // the receive loop flushes when its batch is dispatched (under _sendLock)
    private bool _batchOpen;      // the receive loop is dispatching a batch (cleared under _sendLock)
    private readonly SendWakeup _wakeup = new();
    private readonly int _outputLimit;
    private ByteBuffer _pending;   // appended to under _sendLock
    private ByteBuffer _sending;   // owned by the send loop while it writes
    private int _sendingBytes;     // bytes of _sending not yet written (counted against the limit)
    private int _framesQueued;
    private bool _sendScheduled;   // someone owns writing: the woken send loop, or an inline flush
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
        if (Volatile.Read(ref _compressor) == null && TrySendEncodedInPlace(protocol, out bool sent)) return sent;
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

    // Without compression a frame is encoded straight into the output buffer (no intermediate buffer and
    // copy); the compressor needs the whole frame first. False when a compressor was installed meanwhile.
    private bool TrySendEncodedInPlace(Protocol protocol, out bool sent)
    {
        bool wake;
        int queued, size;
        lock (_sendLock)
        {
            if (_compressor != null)
            {
                sent = false;
                return false;
            }
            if (IsClosed || _closeAfterFlush != null)
            {
                sent = false;
                return true;
            }
            int start = _pending.WriteIndex;
            try
            {
                protocol.EncodeFrame(_pending);
            }
            catch
            {
                _pending.WriteIndex = start; // nothing of a frame that failed to encode is sent
                throw;
            }
            size = _pending.WriteIndex - start;
            queued = _pending.Size - size + _sendingBytes;
            if ((long)queued + size > _outputLimit)
            {
                _pending.WriteIndex = start;
                wake = false;
            }
            else
            {
                _encryptor?.Transform(_pending.Bytes.AsSpan(start, size));
                wake = QueuedLocked();
                queued = -1;
            }
        }
        sent = Queued(queued, size, wake);
        return true;
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
                wake = QueuedLocked();
                queued = -1;
            }
        }
        return Queued(queued, frames.Length, wake);
    }

    // Under _sendLock, after a frame was appended: counts it and decides who writes it. True when the
    // caller must wake the send loop (after leaving the lock).
    private bool QueuedLocked()
    {
        _framesQueued++;
        // The receive loop's end-of-batch flush is coming anyway and the send loop would leave this to it:
        // nothing to decide (and no thread-static read, which costs more than the rest of this).
        if (_wakeDeferred && _pending.Size <= DeferWhileDispatchingMaxBytes) return false;
        if (t_dispatching == this)
        {
            // Queued by the receive loop: it flushes when its batch is dispatched (unless the send loop
            // owns the output then), and the send loop leaves this batch's output to it meanwhile.
            _wakeDeferred = true;
            return false;
        }
        if (_sendScheduled) return false;
        _sendScheduled = true;
        return true;
    }

    // After leaving _sendLock: closes on overflow (queued >= 0 is what was queued before the refused frame).
    private bool Queued(int queued, int size, bool wake)
    {
        if (queued >= 0)
        {
            Close($"output buffer overflow: {queued} bytes queued and {size} more exceed OutputBufferMaxSize {_outputLimit}; the peer is not reading");
            return false;
        }
        if (wake) _wakeup.Signal();
        return true;
    }

    /// <summary>
    /// Moves the queued output into <paramref name="into"/> instead of writing it (a socket whose loops were
    /// never started: the rpc micro-benchmark drives dispatch and sending without a network).
    /// </summary>
    internal void TakeQueuedOutput(ByteBuffer into)
    {
        lock (_sendLock)
        {
            into.Append(_pending.Span);
            _pending.Reset();
            _framesQueued = 0;
            _sendScheduled = false;
            _wakeDeferred = false;
            _wakeup.Reset(); // no send loop waits on it
        }
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

    /// <summary>
    /// Called by the receive loop after dispatching each batch (closing it). When the batch queued output,
    /// writes it from this thread if the send loop is idle, which saves a thread hop per batch (a request-response exchange would
    /// otherwise pass through the thread pool twice per side). A write that cannot complete at once is
    /// finished asynchronously, and whatever is queued meanwhile goes to the send loop.
    /// </summary>
    private void FlushAfterBatch()
    {
        ByteBuffer batch;
        int frames;
        lock (_sendLock)
        {
            _batchOpen = false;
            if (!_wakeDeferred) return;
            _wakeDeferred = false;
            if (_sendScheduled || IsClosed || _pending.Size == 0) return; // the send loop owns the output
            _sendScheduled = true;
            if (_pending.Size > InlineFlushMaxBytes || _closeAfterFlush != null)
            {
                batch = null!;
                frames = -1;
            }
            else
            {
                (_pending, _sending) = (_sending, _pending);
                _sendingBytes = _sending.Size;
                frames = _framesQueued;
                _framesQueued = 0;
                batch = _sending;
            }
        }
        if (frames < 0)
        {
            _wakeup.Signal(); // a big batch, or closing after the flush: the send loop's job
            return;
        }
        int total = batch.Size;
        try
        {
            while (batch.Size > 0)
            {
                var writing = _socket.SendAsync(batch.Memory, SocketFlags.None);
                if (!writing.IsCompletedSuccessfully)
                {
                    _ = FinishFlushAsync(writing, batch, total, frames);
                    return;
                }
                batch.ReadIndex += writing.Result;
            }
        }
        catch (Exception e)
        {
            if (!IsClosed) Close(Describe(e), IsOrdinary(e) ? null : e);
            return;
        }
        AfterFlush(batch, total, frames);
    }

    private async Task FinishFlushAsync(ValueTask<int> writing, ByteBuffer batch, int total, int frames)
    {
        try
        {
            batch.ReadIndex += await writing.ConfigureAwait(false);
            while (batch.Size > 0)
                batch.ReadIndex += await _socket.SendAsync(batch.Memory, SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!IsClosed) Close(Describe(e), IsOrdinary(e) ? null : e);
            return;
        }
        AfterFlush(batch, total, frames);
    }

    // The inline write is done: hand the role of writer back (to nobody, or to the send loop if more is queued).
    private void AfterFlush(ByteBuffer batch, int total, int frames)
    {
        AfterWrite(batch, total, frames);
        bool wake = false;
        lock (_sendLock)
        {
            _sendingBytes = 0;
            if (_pending.Size > 0 || IsClosed || _closeAfterFlush != null) wake = true; // stays scheduled: the loop takes over
            else _sendScheduled = false;
        }
        if (wake) _wakeup.Signal();
    }

    private void AfterWrite(ByteBuffer batch, int total, int frames)
    {
        Volatile.Write(ref _lastSendTimestamp, Service.TimeProvider.GetTimestamp());
        var tag = NetMetrics.ServiceTag(Service.Name);
        NetMetrics.BytesSent.Add(total, tag);
        NetMetrics.FramesSent.Add(frames, tag);
        if (batch.Capacity > ShrinkOutputAbove) _sending = ByteBuffer.Allocate(InitialOutputCapacity); // give a burst's memory back
        else batch.Reset();
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
                    else if (_wakeDeferred && _batchOpen && _pending.Size <= DeferWhileDispatchingMaxBytes && _closeAfterFlush == null)
                    {
                        // The receive loop is mid-batch and has queued output: it flushes when the batch is done.
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
                AfterWrite(batch, total, frames);
            }
        }
        catch (Exception e)
        {
            if (!IsClosed) Close(Describe(e), IsOrdinary(e) ? null : e);
        }
    }
}
