using System.Runtime.CompilerServices;
using Zeze.Serialize;

namespace Zeze.Net.Codec;

/// <summary>
/// The sending half of MPPC (RFC 2118 code tables, wire-and-schema.md B8) as one endless bit stream per
/// connection direction. Its choices (which pairs start a match, when a byte is held back, the 10-bit
/// offset-0 marker written at a flush) must be exactly those of Zeze's encoder: a peer's decoder accepts
/// any valid stream, but the golden vectors pin the bytes, and the marker's leftover bits are carried into
/// the next message. Not thread-safe: the socket calls it under its send lock.
/// </summary>
public sealed class MppcCompressor
{
    private const int HistorySize = 8192;

    private readonly byte[] _history = new byte[HistorySize];
    private readonly short[] _pairIndex = new short[65536];
    private int _index;
    private int _matchOffset = -1;
    private int _matchIndex;
    private int _matchLength;
    private bool _flushed = true; // true: the next byte is held back, nothing is pending

    private ulong _bits;   // pending output bits, right-aligned
    private int _bitCount; // how many of them are valid (0..7 between calls)
    private ByteBuffer _output = null!;

    public MppcCompressor() => Array.Fill(_pairIndex, (short)-1);

    /// <summary>Compresses <paramref name="input"/> as one message and flushes it into <paramref name="output"/>.</summary>
    public void Compress(ReadOnlySpan<byte> input, ByteBuffer output)
    {
        _output = output;
        // A literal takes at most 9 bits, so this is enough for the whole message and the marker.
        output.EnsureWrite(input.Length + (input.Length >> 3) + 4);
        foreach (byte c in input)
            Update(c);
        Flush();
        _output = null!;
    }

    private void Update(byte c)
    {
        byte[] h = _history;
        if (_index == HistorySize)
        {
            if (!_flushed) EmitPending();
            Array.Fill(_pairIndex, (short)-1);
            _index = 0;
        }
        h[_index++] = c;
        if (_flushed)
        {
            _flushed = false;
            return;
        }
        int key = (c << 8) | h[_index - 2];
        int previous = _pairIndex[key];
        _pairIndex[key] = (short)_index;
        if (_matchOffset > 0)
        {
            if (h[_matchIndex] == c)
            {
                _matchIndex++;
                _matchLength++;
            }
            else
            {
                EmitMatch();
                _matchOffset = -1; // c stays pending: it may start the next match
            }
        }
        else if (previous != -1)
        {
            _matchIndex = previous;
            _matchOffset = _index - previous;
            _matchLength = 2;
        }
        else
        {
            Literal(h[_index - 2]);
        }
    }

    private void EmitMatch()
    {
        if (_matchLength == 2)
        {
            // A pair is cheaper as two literals than as the shortest copy (length 3 is the minimum).
            Literal(_history[_matchIndex - 2]);
            Literal(_history[_matchIndex - 1]);
        }
        else
        {
            Copy(_matchOffset, _matchLength);
        }
    }

    private void EmitPending()
    {
        if (_matchOffset > 0)
        {
            EmitMatch();
            _matchOffset = -1;
        }
        else
        {
            Literal(_history[_index - 1]);
        }
        _flushed = true;
    }

    private void Flush()
    {
        if (_flushed) return;
        EmitPending();
        // Complete the last partial byte with the no-op marker instead of zero bits (which would decode as
        // a literal 0x00); whatever of the marker does not fit stays pending for the next message.
        if (_bitCount > 0) PutBits(0b1111000000, 10);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Literal(byte c)
    {
        if (c < 0x80) PutBits(c, 8);
        else PutBits(0x100u | (uint)(c & 0x7F), 9);
    }

    private void Copy(int offset, int length)
    {
        if (offset < 64) PutBits(0x3C0u | (uint)offset, 10);                 // 1111 + 6 bits
        else if (offset < 320) PutBits(0xE00u | (uint)(offset - 64), 12);    // 1110 + 8 bits
        else PutBits(0xC000u | (uint)(offset - 320), 16);                    // 110 + 13 bits

        if (length == 3)
        {
            PutBits(0, 1);
        }
        else
        {
            // length in [2^k, 2^(k+1)): (k-1) ones, a zero, then the low k bits.
            int k = 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)length);
            uint prefix = ((1u << k) - 2) << k; // k-1 ones then a zero, shifted over the k low bits
            PutBits(prefix | ((uint)length & ((1u << k) - 1)), 2 * k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PutBits(uint value, int count)
    {
        _bits = (_bits << count) | value;
        _bitCount += count;
        if (_bitCount >= 8)
            Drain();
    }

    private void Drain()
    {
        var o = _output;
        while (_bitCount >= 8)
        {
            _bitCount -= 8;
            o.EnsureWrite(1);
            o.Bytes[o.WriteIndex++] = (byte)(_bits >> _bitCount);
        }
        _bits &= (1UL << _bitCount) - 1;
    }
}
