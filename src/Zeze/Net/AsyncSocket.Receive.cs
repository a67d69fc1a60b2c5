using System.Buffers.Binary;
using System.Net.Sockets;
using Zeze.Net.Codec;
using Zeze.Serialize;

namespace Zeze.Net;

// Receiving: socket -> decrypt -> decompress -> frame parser -> Service dispatch (B1, B7).
public sealed partial class AsyncSocket
{
    private const int FrameHeaderSize = 12;

    private readonly ByteBuffer _input;  // plaintext stream, frames are parsed from here
    private readonly ByteBuffer _frame;  // reusable view of one frame's payload inside _input
    private readonly int _maxFrameSize;
    private readonly int _receiveSize;
    private byte[]? _rawInput;           // receive target while decompressing (the output goes to _input)
    private AesCfbCipher? _decryptor;
    private MppcDecompressor? _decompressor;
    private bool _inputCodecChanged;
    private long _lastReceiveTimestamp;

    /// <summary>
    /// Installs the receive codecs (handshake). Called while a frame is being dispatched on the receive
    /// loop: bytes already received after that frame were sent through these codecs and are decoded again.
    /// </summary>
    internal void SetInputCodec(AesCfbCipher? decryptor, MppcDecompressor? decompressor)
    {
        _decryptor = decryptor;
        _decompressor = decompressor;
        if (decompressor != null) _rawInput ??= new byte[_receiveSize];
        _inputCodecChanged = true;
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!IsClosed)
            {
                int n;
                if (_decompressor != null)
                {
                    n = await _socket.ReceiveAsync(_rawInput.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    if (n == 0) break;
                    var raw = _rawInput.AsSpan(0, n);
                    _decryptor?.Transform(raw);
                    _decompressor.Decompress(raw, _input);
                }
                else
                {
                    _input.EnsureWrite(_receiveSize);
                    n = await _socket.ReceiveAsync(_input.Bytes.AsMemory(_input.WriteIndex), SocketFlags.None).ConfigureAwait(false);
                    if (n == 0) break;
                    _decryptor?.Transform(_input.Bytes.AsSpan(_input.WriteIndex, n));
                    _input.WriteIndex += n;
                }
                Volatile.Write(ref _lastReceiveTimestamp, Service.TimeProvider.GetTimestamp());
                NetMetrics.BytesReceived.Add(n, NetMetrics.ServiceTag(Service.Name));
                Volatile.Write(ref _batchOpen, true); // read by senders under _sendLock; cleared there too
                t_dispatching = this;
                try
                {
                    ParseFrames();
                }
                finally
                {
                    t_dispatching = null;
                }
                FlushAfterBatch();
            }
            Close("closed by peer");
        }
        catch (Exception e)
        {
            if (!IsClosed) Close(Describe(e), IsOrdinary(e) ? null : e);
        }
    }

    private void ParseFrames()
    {
        var input = _input;
        int frames = 0;
        while (input.Size >= FrameHeaderSize)
        {
            int at = input.ReadIndex;
            var header = input.Bytes.AsSpan(at, FrameHeaderSize);
            int moduleId = BinaryPrimitives.ReadInt32LittleEndian(header);
            int protocolId = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            // Checked on the header alone, so an over-sized frame is refused even when it arrived whole.
            if (size > (uint)_maxFrameSize)
            {
                Close($"frame of {size} bytes (module {moduleId}, protocol {protocolId}) exceeds InputBufferMaxProtocolSize {_maxFrameSize}");
                return;
            }
            if (input.Size - FrameHeaderSize < size) break;
            int start = at + FrameHeaderSize;
            _frame.Bytes = input.Bytes;
            _frame.ReadIndex = start;
            _frame.WriteIndex = start + (int)size;
            input.ReadIndex = start + (int)size; // the next frame starts here whatever the decoder consumed
            frames++;
            Service.DispatchFrame(this, moduleId, protocolId, _frame);
            if (IsClosed) return;
            if (_inputCodecChanged)
            {
                _inputCodecChanged = false;
                DecodeRemainderWithNewCodec();
            }
        }
        if (input.Size == 0) input.Reset();
        if (frames > 0) NetMetrics.FramesReceived.Add(frames, NetMetrics.ServiceTag(Service.Name));
    }

    // The peer switched codecs right after the frame just handled: what follows it in the same read
    // was stored as if plain. Zeze parses such bytes as plaintext (its peers never send any); decoding
    // them with the new codecs is what the peer meant.
    private void DecodeRemainderWithNewCodec()
    {
        if (_input.Size == 0) return;
        byte[] rest = _input.ToArray();
        _input.WriteIndex = _input.ReadIndex;
        _decryptor?.Transform(rest);
        if (_decompressor != null) _decompressor.Decompress(rest, _input);
        else _input.Append(rest);
    }
}
