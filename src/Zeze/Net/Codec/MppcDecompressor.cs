using Zeze.Serialize;

namespace Zeze.Net.Codec;

/// <summary>
/// The receiving half of MPPC (wire-and-schema.md B8). The input is one endless bit stream: a code may be
/// split across TCP reads and messages, so bits that do not yet form a whole code are kept for the next
/// call. The history lives for the whole connection (copies may reach into earlier messages). Not
/// thread-safe: one receive loop owns it.
/// </summary>
public sealed class MppcDecompressor
{
    // Offsets reach at most 320 + 8191 bytes back and a copy is at most 8191 bytes long: keeping 16 KiB of
    // history when sliding satisfies both, and 64 KiB makes slides (a copy of 16 KiB) rare.
    private const int Capacity = 65536;
    private const int Keep = 16384;
    private const int MaxCodeOutput = 8192;

    private readonly byte[] _history = new byte[Capacity];
    private int _position;   // bytes of history
    private int _outputFrom; // history not yet copied to the caller's buffer starts here

    private ulong _bits;     // input bits, left-aligned (the next bit is bit 63)
    private int _bitCount;
    private ByteBuffer _output = null!;

    /// <summary>Decodes every complete code of <paramref name="input"/> (plus bits left from earlier calls),
    /// appending the bytes to <paramref name="output"/>.</summary>
    /// <exception cref="DecodeException">The stream is not valid MPPC.</exception>
    public void Decompress(ReadOnlySpan<byte> input, ByteBuffer output)
    {
        _output = output;
        int next = 0;
        while (true)
        {
            while (_bitCount <= 56 && next < input.Length)
            {
                _bits |= (ulong)input[next++] << (56 - _bitCount);
                _bitCount += 8;
            }
            if (!DecodeOne())
            {
                if (next >= input.Length) break;
                continue; // not enough bits for this code yet, but more input is available
            }
        }
        FlushTo(output);
        _output = null!;
    }

    /// <summary>Decodes one code if all its bits are available; false when more input is needed.</summary>
    private bool DecodeOne()
    {
        int available = _bitCount;
        if (available == 0) return false;
        ulong b = _bits;
        if ((b >> 63) == 0)
        {
            if (available < 8) return false;
            Emit((byte)(b >> 56));
            Consume(8);
            return true;
        }
        if ((b >> 62) == 0b10)
        {
            if (available < 9) return false;
            Emit((byte)(0x80 | ((b >> 55) & 0x7F)));
            Consume(9);
            return true;
        }
        int offset, offsetBits;
        if ((b >> 60) == 0b1111)
        {
            offsetBits = 10;
            offset = (int)((b >> 54) & 0x3F);
        }
        else if ((b >> 60) == 0b1110)
        {
            offsetBits = 12;
            offset = 64 + (int)((b >> 52) & 0xFF);
        }
        else if ((b >> 61) == 0b110)
        {
            offsetBits = 16;
            offset = 320 + (int)((b >> 48) & 0x1FFF);
        }
        else
        {
            // Unreachable: a missing bit reads as 0, so a short prefix lands in a branch above that then
            // waits for its full length.
            return Fail("impossible prefix");
        }
        if (available < offsetBits) return false;
        if (offset == 0)
        {
            Consume(offsetBits); // the flush marker: no output
            return true;
        }

        ulong lengthBits = b << offsetBits;
        int ones = System.Numerics.BitOperations.LeadingZeroCount(~lengthBits);
        if (ones >= 12)
        {
            if (available - offsetBits >= 12) Fail("length prefix of 12 ones");
            return false;
        }
        if (ones >= available - offsetBits) return false; // the terminating zero has not arrived
        int length, lengthCodeBits;
        if (ones == 0)
        {
            length = 3;
            lengthCodeBits = 1;
        }
        else
        {
            int k = ones + 1;
            lengthCodeBits = 2 * k;
            if (available - offsetBits < lengthCodeBits) return false;
            length = (1 << k) | (int)((lengthBits >> (64 - lengthCodeBits)) & ((1UL << k) - 1));
        }
        if (offset > _position) Fail($"copy offset {offset} is beyond the {_position} bytes of history");
        Consume(offsetBits + lengthCodeBits);
        Copy(offset, length);
        return true;
    }

    private void Consume(int n)
    {
        _bits <<= n;
        _bitCount -= n;
    }

    private void Emit(byte value)
    {
        if (_position == Capacity) Slide();
        _history[_position++] = value;
    }

    private void Copy(int offset, int length)
    {
        if (_position + length > Capacity) Slide(); // length <= MaxCodeOutput, so one slide makes room
        byte[] h = _history;
        int from = _position - offset;
        int to = _position;
        if (offset >= length)
        {
            Buffer.BlockCopy(h, from, h, to, length);
        }
        else
        {
            // Overlapping copy: each byte may be one written by this same copy.
            for (int i = 0; i < length; i++) h[to + i] = h[from + i];
        }
        _position += length;
    }

    // Hands the decoded bytes to the caller, then moves the newest Keep bytes to the front.
    private void Slide()
    {
        FlushTo(_output);
        int keepFrom = _position - Keep;
        Buffer.BlockCopy(_history, keepFrom, _history, 0, Keep);
        _position = Keep;
        _outputFrom = Keep;
    }

    private void FlushTo(ByteBuffer output)
    {
        int n = _position - _outputFrom;
        if (n > 0)
        {
            output.Append(new ReadOnlySpan<byte>(_history, _outputFrom, n));
            _outputFrom = _position;
        }
    }

    private static bool Fail(string why) => throw new DecodeException("invalid MPPC stream: " + why);
}
