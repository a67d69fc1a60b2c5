using System.Globalization;
using System.Text;

namespace Zeze.Serialize;

// Length-prefixed byte strings: binary, string (UTF-8) and decimal (its invariant text as a string).
public sealed partial class ByteBuffer
{
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteUInt(bytes.Length);
        Append(bytes);
    }

    public void WriteBytes(byte[] bytes, int offset, int length) => WriteBytes(bytes.AsSpan(offset, length));

    public byte[] ReadBytes()
    {
        int n = ReadCount();
        if (n == 0) return [];
        var result = new byte[n];
        Bytes.AsSpan(ReadIndex, n).CopyTo(result);
        ReadIndex += n;
        return result;
    }

    /// <summary>Reads a length-prefixed byte string as a view into this buffer (no copy).</summary>
    public ReadOnlySpan<byte> ReadBytesSpan()
    {
        int n = ReadCount();
        var span = new ReadOnlySpan<byte>(Bytes, ReadIndex, n);
        ReadIndex += n;
        return span;
    }

    public void SkipBytes()
    {
        int n = ReadCount();
        ReadIndex += n;
    }

    public void WriteBinary(Binary b) => WriteBytes(b.Span);

    public Binary ReadBinary()
    {
        int n = ReadCount();
        if (n == 0) return Binary.Empty;
        var result = Binary.Wrap(Bytes.AsSpan(ReadIndex, n).ToArray());
        ReadIndex += n;
        return result;
    }

    public void WriteString(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            WriteByte(0);
            return;
        }
        // Reserve the longest possible form, then write the real length in front of the bytes.
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max <= 0x7F)
        {
            EnsureWrite(1 + max);
            int n = Encoding.UTF8.GetBytes(s, Bytes.AsSpan(WriteIndex + 1));
            Bytes[WriteIndex] = (byte)n;
            WriteIndex += 1 + n;
            return;
        }
        int count = Encoding.UTF8.GetByteCount(s);
        WriteUInt(count);
        EnsureWrite(count);
        Encoding.UTF8.GetBytes(s, Bytes.AsSpan(WriteIndex));
        WriteIndex += count;
    }

    /// <summary>Reads a UTF-8 string; invalid sequences become U+FFFD, as in Zeze's decoders.</summary>
    public string ReadString()
    {
        int n = ReadCount();
        if (n == 0) return string.Empty;
        string s = Encoding.UTF8.GetString(Bytes, ReadIndex, n);
        ReadIndex += n;
        return s;
    }

    public void WriteDecimal(decimal d) => WriteString(d.ToString(CultureInfo.InvariantCulture));

    public decimal ReadDecimal()
    {
        string s = ReadString();
        if (!decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            throw new DecodeException($"'{(s.Length > 40 ? s[..40] + "..." : s)}' is not a decimal");
        return d;
    }
}
