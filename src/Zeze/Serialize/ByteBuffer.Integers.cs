using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Zeze.Serialize;

// Zeze's two compact integer forms. The signed form ("long", used for every integer value in beans)
// puts the sign in the first bit and the length in the run of bits that follows it; the unsigned form
// (lengths, counts, tag deltas, headers) counts leading one bits. Both are big-endian after the prefix,
// and the writer always picks the shortest form. Layout tables: wire-and-schema.md A3/A4.
public sealed partial class ByteBuffer
{
    // ---- signed ----
    //
    // The fast paths below work on the whole integer at once: they load (or store) eight bytes big-endian
    // where the array has room for them, find the length from the prefix with one bit count, and shift and
    // mask. Bytes past the integer are loaded but not used (reads) or left as free space past WriteIndex
    // (writes). The byte-by-byte forms handle the 9-byte integers and the ends of arrays.

    /// <summary>Writes a signed compact integer (1 to 9 bytes, the shortest form).</summary>
    public void WriteLong(long x)
    {
        // x >= 0 is written as is; x < 0 as the complement of the form of ~x (the formats mirror each other).
        ulong sign = (ulong)(x >> 63);
        ulong u = (ulong)x ^ sign;
        int w = WriteIndex;
        byte[] b = Bytes;
        if (u < 1UL << 55 && (uint)w <= (uint)(b.Length - 8))
        {
            int bits = 64 - BitOperations.LeadingZeroCount(u);
            int n = (bits + 7) / 7; // n bytes carry 7n - 1 value bits after the prefix 0, (n - 1) ones, 0
            ulong form = (u | (((1UL << (n - 1)) - 1) << (7 * n))) << (64 - 8 * n);
            StoreBigEndian(b, w, form ^ sign);
            WriteIndex = w + n;
            return;
        }
        WriteLongSlow(x);
    }

    /// <summary>Reads a signed compact integer.</summary>
    public long ReadLong()
    {
        int r = ReadIndex;
        byte[] b = Bytes;
        if ((uint)r <= (uint)(b.Length - 8))
        {
            ulong raw = LoadBigEndian(b, r);
            ulong sign = (ulong)((long)raw >> 63);
            ulong u = raw ^ sign; // a negative value's bytes are the complement of a positive one's
            int n = BitOperations.LeadingZeroCount(~(u << 1)) + 1; // the ones after the sign bit, plus one
            if (n <= 8 && n <= WriteIndex - r)
            {
                ReadIndex = r + n;
                return (long)(((u >> (64 - 8 * n)) & ((1UL << (7 * n - 1)) - 1)) ^ sign);
            }
        }
        return ReadLongSlow();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LoadBigEndian(byte[] b, int at) =>
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), at)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBigEndian(byte[] b, int at, ulong x) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), at), BinaryPrimitives.ReverseEndianness(x));


    public void WriteInt(int x) => WriteLong(x);

    public void WriteShort(short x) => WriteLong(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteLongSlow(long x)
    {
        EnsureWrite(9);
        byte[] b = Bytes;
        int w = WriteIndex;
        if (x >= 0)
        {
            if (x < 0x40) { b[w] = (byte)x; WriteIndex = w + 1; }
            else if (x < 0x2000) { b[w] = (byte)((x >> 8) + 0x40); b[w + 1] = (byte)x; WriteIndex = w + 2; }
            else if (x < 0x10_0000) { b[w] = (byte)((x >> 16) + 0x60); PutBE(b, w + 1, x, 2); WriteIndex = w + 3; }
            else if (x < 0x800_0000) { b[w] = (byte)((x >> 24) + 0x70); PutBE(b, w + 1, x, 3); WriteIndex = w + 4; }
            else if (x < 0x4_0000_0000) { b[w] = (byte)((x >> 32) + 0x78); PutBE(b, w + 1, x, 4); WriteIndex = w + 5; }
            else if (x < 0x200_0000_0000) { b[w] = (byte)((x >> 40) + 0x7C); PutBE(b, w + 1, x, 5); WriteIndex = w + 6; }
            else if (x < 0x1_0000_0000_0000) { b[w] = 0x7E; PutBE(b, w + 1, x, 6); WriteIndex = w + 7; }
            else if (x < 0x80_0000_0000_0000) { b[w] = 0x7F; PutBE(b, w + 1, x, 7); WriteIndex = w + 8; }
            else { b[w] = 0x7F; b[w + 1] = (byte)((x >> 56) + 0x80); PutBE(b, w + 2, x, 7); WriteIndex = w + 9; }
        }
        else
        {
            if (x >= -0x40) { b[w] = (byte)x; WriteIndex = w + 1; }
            else if (x >= -0x2000) { b[w] = (byte)((x >> 8) - 0x40); b[w + 1] = (byte)x; WriteIndex = w + 2; }
            else if (x >= -0x10_0000) { b[w] = (byte)((x >> 16) - 0x60); PutBE(b, w + 1, x, 2); WriteIndex = w + 3; }
            else if (x >= -0x800_0000) { b[w] = (byte)((x >> 24) - 0x70); PutBE(b, w + 1, x, 3); WriteIndex = w + 4; }
            else if (x >= -0x4_0000_0000) { b[w] = (byte)((x >> 32) - 0x78); PutBE(b, w + 1, x, 4); WriteIndex = w + 5; }
            else if (x >= -0x200_0000_0000) { b[w] = (byte)((x >> 40) - 0x7C); PutBE(b, w + 1, x, 5); WriteIndex = w + 6; }
            else if (x >= -0x1_0000_0000_0000) { b[w] = 0x81; PutBE(b, w + 1, x, 6); WriteIndex = w + 7; }
            else if (x >= -0x80_0000_0000_0000) { b[w] = 0x80; PutBE(b, w + 1, x, 7); WriteIndex = w + 8; }
            else { b[w] = 0x80; b[w + 1] = (byte)((x >> 56) - 0x80); PutBE(b, w + 2, x, 7); WriteIndex = w + 9; }
        }
    }

    /// <summary>Writes the low <paramref name="n"/> bytes of <paramref name="x"/> big-endian.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutBE(byte[] b, int at, long x, int n)
    {
        for (int i = n - 1; i >= 0; i--)
        {
            b[at + i] = (byte)x;
            x >>= 8;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong GetBE(int at, int n)
    {
        byte[] b = Bytes;
        ulong v = 0;
        for (int i = 0; i < n; i++)
            v = (v << 8) | b[at + i];
        return v;
    }

    /// <summary>Number of bytes <see cref="WriteLong"/> produces for <paramref name="x"/>.</summary>
    public static int WriteLongSize(long x)
    {
        if (x < 0) x = ~x; // the negative thresholds mirror the positive ones
        if (x < 0x40) return 1;
        if (x < 0x2000) return 2;
        if (x < 0x10_0000) return 3;
        if (x < 0x800_0000) return 4;
        if (x < 0x4_0000_0000) return 5;
        if (x < 0x200_0000_0000) return 6;
        if (x < 0x1_0000_0000_0000) return 7;
        if (x < 0x80_0000_0000_0000) return 8;
        return 9;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long ReadLongSlow()
    {
        EnsureRead(1);
        int r = ReadIndex;
        int b = Bytes[r];
        if (b < 0x80)
        {
            if (b < 0x40) { ReadIndex = r + 1; return b; }
            if (b < 0x60) { EnsureRead(2); ReadIndex = r + 2; return ((long)(b - 0x40) << 8) | Bytes[r + 1]; }
            if (b < 0x70) { EnsureRead(3); ReadIndex = r + 3; return ((long)(b - 0x60) << 16) | (long)GetBE(r + 1, 2); }
            if (b < 0x78) { EnsureRead(4); ReadIndex = r + 4; return ((long)(b - 0x70) << 24) | (long)GetBE(r + 1, 3); }
            if (b < 0x7C) { EnsureRead(5); ReadIndex = r + 5; return ((long)(b - 0x78) << 32) | (long)GetBE(r + 1, 4); }
            if (b < 0x7E) { EnsureRead(6); ReadIndex = r + 6; return ((long)(b - 0x7C) << 40) | (long)GetBE(r + 1, 5); }
            if (b == 0x7E) { EnsureRead(7); ReadIndex = r + 7; return (long)GetBE(r + 1, 6); }
            EnsureRead(8);
            int c = Bytes[r + 1];
            if (c < 0x80) { ReadIndex = r + 8; return (long)GetBE(r + 1, 7); }
            EnsureRead(9);
            ReadIndex = r + 9;
            return ((long)(c - 0x80) << 56) | (long)GetBE(r + 2, 7);
        }
        else
        {
            if (b >= 0xC0) { ReadIndex = r + 1; return b - 0x100; }
            if (b >= 0xA0) { EnsureRead(2); ReadIndex = r + 2; return ((long)(b - 0xC0) << 8) | Bytes[r + 1]; }
            if (b >= 0x90) { EnsureRead(3); ReadIndex = r + 3; return ((long)(b - 0xA0) << 16) | (long)GetBE(r + 1, 2); }
            if (b >= 0x88) { EnsureRead(4); ReadIndex = r + 4; return ((long)(b - 0x90) << 24) | (long)GetBE(r + 1, 3); }
            if (b >= 0x84) { EnsureRead(5); ReadIndex = r + 5; return ((long)(b - 0x88) << 32) | (long)GetBE(r + 1, 4); }
            if (b >= 0x82) { EnsureRead(6); ReadIndex = r + 6; return ((long)(b - 0x84) << 40) | (long)GetBE(r + 1, 5); }
            if (b == 0x81) { EnsureRead(7); ReadIndex = r + 7; return (long)(GetBE(r + 1, 6) | 0xFFFF_0000_0000_0000UL); }
            EnsureRead(8);
            int c = Bytes[r + 1];
            if (c >= 0x80) { ReadIndex = r + 8; return (long)(GetBE(r + 1, 7) | 0xFF00_0000_0000_0000UL); }
            EnsureRead(9);
            ReadIndex = r + 9;
            return ((long)(c - 0x80) << 56) | (long)GetBE(r + 2, 7);
        }
    }

    /// <summary>Reads a signed compact integer and truncates it to 32 bits, as Zeze does.</summary>
    public int ReadInt() => (int)ReadLong();

    public short ReadShort() => (short)ReadLong();

    /// <summary>Skips one signed compact integer without computing it.</summary>
    public void SkipLong()
    {
        EnsureRead(1);
        int n = LongSizeAt(ReadIndex);
        EnsureRead(n);
        ReadIndex += n;
    }

    /// <summary>
    /// Reads a signed compact integer if all of it is there; false (nothing consumed) when the bytes end first.
    /// For peeking at input that may not be this kind of data at all.
    /// </summary>
    public bool TryReadLong(out long value)
    {
        int size = WriteIndex - ReadIndex;
        // Nine bytes hold any compact integer; only a shorter rest needs its length worked out first.
        if (size >= 9 || (size > 0 && size >= LongSizeAt(ReadIndex)))
        {
            value = ReadLong();
            return true;
        }
        value = 0;
        return false;
    }

    // The length of the signed compact integer that starts at `at` (its first byte is there). The 8- and 9-byte
    // forms share a first byte (7F, or 80 when negative) and differ in the top bit of the second; without a second
    // byte this says 9, which no caller finds room for.
    private int LongSizeAt(int at)
    {
        int b = Bytes[at];
        int n = b < 0x80
            ? (b < 0x40 ? 1 : b < 0x60 ? 2 : b < 0x70 ? 3 : b < 0x78 ? 4 : b < 0x7C ? 5 : b < 0x7E ? 6 : b == 0x7E ? 7 : 0)
            : (b >= 0xC0 ? 1 : b >= 0xA0 ? 2 : b >= 0x90 ? 3 : b >= 0x88 ? 4 : b >= 0x84 ? 5 : b >= 0x82 ? 6 : b == 0x81 ? 7 : 0);
        if (n != 0) return n;
        return at + 1 < WriteIndex && ((Bytes[at + 1] ^ b) & 0x80) == 0 ? 8 : 9; // second byte's top bit equals the first's
    }

    // ---- unsigned ----

    /// <summary>Writes <paramref name="x"/> as an unsigned 32-bit value (a negative int takes 5 bytes).</summary>
    public void WriteUInt(int x) => WriteULong((uint)x);

    /// <summary>Writes an unsigned compact integer (1 to 9 bytes, the shortest form).</summary>
    public void WriteULong(ulong x)
    {
        int w = WriteIndex;
        byte[] b = Bytes;
        if (x < 1UL << 56 && (uint)w <= (uint)(b.Length - 8))
        {
            int bits = 64 - BitOperations.LeadingZeroCount(x | 1);
            int n = (bits + 6) / 7; // n bytes carry 7n value bits after the prefix (n - 1) ones, 0
            ulong form = (x | (((1UL << (n - 1)) - 1) << (7 * n + 1))) << (64 - 8 * n);
            StoreBigEndian(b, w, form);
            WriteIndex = w + n;
            return;
        }
        WriteULongSlow(x);
    }

    /// <summary>Reads an unsigned compact integer.</summary>
    public ulong ReadULong()
    {
        int r = ReadIndex;
        byte[] b = Bytes;
        if ((uint)r <= (uint)(b.Length - 8))
        {
            ulong raw = LoadBigEndian(b, r);
            int n = BitOperations.LeadingZeroCount(~raw) + 1; // the leading ones, plus one
            if (n <= 8 && n <= WriteIndex - r)
            {
                ReadIndex = r + n;
                return (raw >> (64 - 8 * n)) & ((1UL << (7 * n)) - 1);
            }
        }
        return ReadULongSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteULongSlow(ulong x)
    {
        EnsureWrite(9);
        byte[] b = Bytes;
        int w = WriteIndex;
        if (x < 0x80) { b[w] = (byte)x; WriteIndex = w + 1; }
        else if (x < 0x4000) { b[w] = (byte)((x >> 8) | 0x80); b[w + 1] = (byte)x; WriteIndex = w + 2; }
        else if (x < 0x20_0000) { b[w] = (byte)((x >> 16) | 0xC0); PutBE(b, w + 1, (long)x, 2); WriteIndex = w + 3; }
        else if (x < 0x1000_0000) { b[w] = (byte)((x >> 24) | 0xE0); PutBE(b, w + 1, (long)x, 3); WriteIndex = w + 4; }
        else if (x < 0x8_0000_0000) { b[w] = (byte)((x >> 32) | 0xF0); PutBE(b, w + 1, (long)x, 4); WriteIndex = w + 5; }
        else if (x < 0x400_0000_0000) { b[w] = (byte)((x >> 40) | 0xF8); PutBE(b, w + 1, (long)x, 5); WriteIndex = w + 6; }
        else if (x < 0x2_0000_0000_0000) { b[w] = (byte)((x >> 48) | 0xFC); PutBE(b, w + 1, (long)x, 6); WriteIndex = w + 7; }
        else if (x < 0x100_0000_0000_0000) { b[w] = 0xFE; PutBE(b, w + 1, (long)x, 7); WriteIndex = w + 8; }
        else { b[w] = 0xFF; PutBE(b, w + 1, (long)x, 8); WriteIndex = w + 9; }
    }

    /// <summary>Number of bytes <see cref="WriteULong"/> produces for <paramref name="x"/>.</summary>
    public static int WriteULongSize(ulong x) =>
        x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x20_0000 ? 3 : x < 0x1000_0000 ? 4 : x < 0x8_0000_0000 ? 5
        : x < 0x400_0000_0000 ? 6 : x < 0x2_0000_0000_0000 ? 7 : x < 0x100_0000_0000_0000 ? 8 : 9;

    public static int WriteUIntSize(int x) => WriteULongSize((uint)x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadULongSlow()
    {
        EnsureRead(1);
        int r = ReadIndex;
        int b = Bytes[r];
        if (b < 0x80) { ReadIndex = r + 1; return (ulong)b; }
        if (b < 0xC0) { EnsureRead(2); ReadIndex = r + 2; return ((ulong)(b & 0x3F) << 8) | Bytes[r + 1]; }
        if (b < 0xE0) { EnsureRead(3); ReadIndex = r + 3; return ((ulong)(b & 0x1F) << 16) | GetBE(r + 1, 2); }
        if (b < 0xF0) { EnsureRead(4); ReadIndex = r + 4; return ((ulong)(b & 0x0F) << 24) | GetBE(r + 1, 3); }
        if (b < 0xF8) { EnsureRead(5); ReadIndex = r + 5; return ((ulong)(b & 0x07) << 32) | GetBE(r + 1, 4); }
        if (b < 0xFC) { EnsureRead(6); ReadIndex = r + 6; return ((ulong)(b & 0x03) << 40) | GetBE(r + 1, 5); }
        if (b < 0xFE) { EnsureRead(7); ReadIndex = r + 7; return ((ulong)(b & 0x01) << 48) | GetBE(r + 1, 6); }
        if (b == 0xFE) { EnsureRead(8); ReadIndex = r + 8; return GetBE(r + 1, 7); }
        EnsureRead(9);
        ReadIndex = r + 9;
        return GetBE(r + 1, 8);
    }

    /// <summary>Reads an unsigned compact integer truncated to 32 bits (Zeze's <c>ReadUInt</c>).</summary>
    public int ReadUInt() => (int)ReadULong();

    /// <summary>Skips one unsigned compact integer (1 to 9 bytes).</summary>
    public void SkipUInt()
    {
        EnsureRead(1);
        int b = Bytes[ReadIndex];
        int n = b < 0x80 ? 1 : b < 0xC0 ? 2 : b < 0xE0 ? 3 : b < 0xF0 ? 4 : b < 0xF8 ? 5 : b < 0xFC ? 6 : b < 0xFE ? 7 : b == 0xFE ? 8 : 9;
        EnsureRead(n);
        ReadIndex += n;
    }

    /// <summary>
    /// Reads a length or element count and checks it against the unread bytes: each of the
    /// <c>n</c> items takes at least <paramref name="minItemSize"/> bytes, so a huge declared count
    /// is rejected before anything is allocated for it.
    /// </summary>
    public int ReadCount(int minItemSize = 1)
    {
        ulong n = ReadULong();
        if (n > int.MaxValue || n * (ulong)minItemSize > (ulong)(WriteIndex - ReadIndex))
            throw new DecodeException($"invalid length or count {n} at offset {ReadIndex}: only {WriteIndex - ReadIndex} bytes left");
        return (int)n;
    }
}
