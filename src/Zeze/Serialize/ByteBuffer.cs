using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Zeze.Serialize;

/// <summary>
/// A growable byte buffer with every encoding of Zeze's wire format (see docs/wire-format.md).
/// Bytes between <see cref="ReadIndex"/> and <see cref="WriteIndex"/> are the unread data; writes append
/// at <see cref="WriteIndex"/>. Every read checks bounds and throws <see cref="DecodeException"/> on
/// truncated or malformed input; nothing is ever read past <see cref="WriteIndex"/>.
/// </summary>
/// <remarks>
/// The fields are public, as in Zeze, so that generated code and codecs work on them without copies.
/// A buffer is not thread-safe. Buffers from <see cref="Rent"/> use pooled arrays: give them back with
/// <see cref="Return"/> and do not keep references to <see cref="Bytes"/> afterwards.
/// </remarks>
public sealed partial class ByteBuffer
{
    /// <summary>Largest capacity a buffer may grow to (1 GiB), as in Zeze.</summary>
    public const int MaxCapacity = 0x40000000;

    /// <summary>Deepest nesting of beans, collections and dynamic values accepted while decoding.</summary>
    public const int MaxDepth = 256;

    public byte[] Bytes;
    public int ReadIndex;
    public int WriteIndex;

    private bool _pooled;
    private bool _cached; // in a thread cache now: a second Return must not add it again
    private int _depth;

    private ByteBuffer(byte[] bytes, int readIndex, int writeIndex)
    {
        Bytes = bytes;
        ReadIndex = readIndex;
        WriteIndex = writeIndex;
    }

    /// <summary>A new empty buffer owning a fresh array.</summary>
    public static ByteBuffer Allocate(int capacity = 16) => new(new byte[ToPowerOfTwo(Math.Max(capacity, 16))], 0, 0);

    /// <summary>A buffer reading <paramref name="bytes"/> in place (no copy).</summary>
    public static ByteBuffer Wrap(byte[] bytes) => new(bytes, 0, bytes.Length);

    /// <summary>A buffer reading <c>bytes[offset..offset+length]</c> in place (no copy).</summary>
    public static ByteBuffer Wrap(byte[] bytes, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if ((uint)offset > (uint)bytes.Length || (uint)length > (uint)(bytes.Length - offset))
            throw new ArgumentOutOfRangeException(nameof(length), $"offset {offset} + length {length} is outside an array of {bytes.Length} bytes");
        return new(bytes, offset, offset + length);
    }

    /// <summary>A buffer over a copy of <paramref name="bytes"/>.</summary>
    public static ByteBuffer From(ReadOnlySpan<byte> bytes)
    {
        var bb = Allocate(bytes.Length);
        bytes.CopyTo(bb.Bytes);
        bb.WriteIndex = bytes.Length;
        return bb;
    }

    /// <summary>Number of unread bytes.</summary>
    public int Size => WriteIndex - ReadIndex;

    public int Capacity => Bytes.Length;

    /// <summary>The unread bytes.</summary>
    public ReadOnlySpan<byte> Span => new(Bytes, ReadIndex, WriteIndex - ReadIndex);

    /// <summary>The unread bytes as memory (valid until the buffer grows, is compacted or returned).</summary>
    public ReadOnlyMemory<byte> Memory => new(Bytes, ReadIndex, WriteIndex - ReadIndex);

    /// <summary>Copies the unread bytes into a new array.</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>Forgets all content.</summary>
    public void Reset()
    {
        ReadIndex = 0;
        WriteIndex = 0;
        _depth = 0;
    }

    /// <summary>Moves unread bytes to the start of the array, making room at the end.</summary>
    public void Compact()
    {
        int size = Size;
        if (ReadIndex > 0)
        {
            if (size > 0) Buffer.BlockCopy(Bytes, ReadIndex, Bytes, 0, size);
            ReadIndex = 0;
            WriteIndex = size;
        }
    }

    /// <summary>Makes room for <paramref name="size"/> more bytes after <see cref="WriteIndex"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureWrite(int size)
    {
        if ((uint)size > (uint)(Bytes.Length - WriteIndex))
            Grow(size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size));
        long needed = (long)WriteIndex - ReadIndex + size;
        if (needed > MaxCapacity)
            throw new InvalidOperationException($"ByteBuffer cannot grow to {needed} bytes (the limit is {MaxCapacity})");
        int unread = WriteIndex - ReadIndex;
        if (needed <= Bytes.Length)
        {
            // Enough room once the consumed prefix is dropped. Moving the unread bytes down costs the same
            // copy as moving them into a new array of the same size, without the allocation.
            Compact();
            return;
        }
        int capacity = ToPowerOfTwo((int)needed);
        byte[] next = _pooled ? ArrayPool<byte>.Shared.Rent(capacity) : new byte[capacity];
        Buffer.BlockCopy(Bytes, ReadIndex, next, 0, unread);
        if (_pooled) ArrayPool<byte>.Shared.Return(Bytes);
        Bytes = next;
        ReadIndex = 0;
        WriteIndex = unread;
    }

    private static int ToPowerOfTwo(int needed)
    {
        if (needed <= 16) return 16;
        return needed >= MaxCapacity ? MaxCapacity : (int)BitOperations.RoundUpToPowerOf2((uint)needed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureRead(int n)
    {
        if ((uint)n > (uint)(WriteIndex - ReadIndex))
            ThrowTruncated(n);
    }

    [DoesNotReturn]
    private void ThrowTruncated(int n) =>
        throw new DecodeException($"truncated input: need {n} bytes at offset {ReadIndex}, only {WriteIndex - ReadIndex} left");

    /// <summary>Skips <paramref name="n"/> unread bytes.</summary>
    public void Skip(int n)
    {
        EnsureRead(n);
        ReadIndex += n;
    }

    // ---- raw bytes ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte b)
    {
        int w = WriteIndex;
        byte[] bytes = Bytes;
        if ((uint)w >= (uint)bytes.Length)
        {
            Grow(1);
            bytes = Bytes;
            w = WriteIndex;
        }
        bytes[w] = b;
        WriteIndex = w + 1;
    }

    public void WriteByte(int b) => WriteByte((byte)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        int r = ReadIndex;
        if (r >= WriteIndex) ThrowTruncated(1);
        ReadIndex = r + 1;
        return Bytes[r];
    }

    /// <summary>Appends raw bytes (no length prefix).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureWrite(bytes.Length);
        bytes.CopyTo(Bytes.AsSpan(WriteIndex));
        WriteIndex += bytes.Length;
    }

    /// <summary>Reserves <paramref name="n"/> bytes at the end and returns them for the caller to fill.</summary>
    public Span<byte> GetWriteSpan(int n)
    {
        EnsureWrite(n);
        var span = Bytes.AsSpan(WriteIndex, n);
        WriteIndex += n;
        return span;
    }

    // ---- fixed width, little-endian ----

    public void WriteInt4(int x)
    {
        EnsureWrite(4);
        BinaryPrimitives.WriteInt32LittleEndian(Bytes.AsSpan(WriteIndex), x);
        WriteIndex += 4;
    }

    public int ReadInt4()
    {
        EnsureRead(4);
        int x = BinaryPrimitives.ReadInt32LittleEndian(Bytes.AsSpan(ReadIndex));
        ReadIndex += 4;
        return x;
    }

    /// <summary>Overwrites 4 bytes at <paramref name="index"/> (used to patch a frame's size field).</summary>
    public void ReplaceInt4(int index, int x) => BinaryPrimitives.WriteInt32LittleEndian(Bytes.AsSpan(index, 4), x);

    public void WriteLong8(long x)
    {
        EnsureWrite(8);
        BinaryPrimitives.WriteInt64LittleEndian(Bytes.AsSpan(WriteIndex), x);
        WriteIndex += 8;
    }

    public long ReadLong8()
    {
        EnsureRead(8);
        long x = BinaryPrimitives.ReadInt64LittleEndian(Bytes.AsSpan(ReadIndex));
        ReadIndex += 8;
        return x;
    }

    public void WriteFloat(float x)
    {
        EnsureWrite(4);
        BinaryPrimitives.WriteSingleLittleEndian(Bytes.AsSpan(WriteIndex), x);
        WriteIndex += 4;
    }

    public float ReadFloat()
    {
        EnsureRead(4);
        float x = BinaryPrimitives.ReadSingleLittleEndian(Bytes.AsSpan(ReadIndex));
        ReadIndex += 4;
        return x;
    }

    public void WriteDouble(double x)
    {
        EnsureWrite(8);
        BinaryPrimitives.WriteDoubleLittleEndian(Bytes.AsSpan(WriteIndex), x);
        WriteIndex += 8;
    }

    public double ReadDouble()
    {
        EnsureRead(8);
        double x = BinaryPrimitives.ReadDoubleLittleEndian(Bytes.AsSpan(ReadIndex));
        ReadIndex += 8;
        return x;
    }

    /// <summary>A bool as one byte, 00 or 01.</summary>
    public void WriteBool(bool b) => WriteByte(b ? (byte)1 : (byte)0);

    /// <summary>Reads 00/01 as one byte; any other first byte starts a signed compact integer.</summary>
    public bool ReadBool()
    {
        EnsureRead(1);
        int b = Bytes[ReadIndex];
        if (b <= 1)
        {
            ReadIndex++;
            return b != 0;
        }
        return ReadLong() != 0;
    }

    // ---- depth guard for nested values ----

    /// <summary>
    /// Enters one nesting level while decoding; throws past <see cref="MaxDepth"/> without counting the
    /// refused level. Pair every successful call with <see cref="LeaveNested"/> in a <c>finally</c>, so that
    /// a decode that fails deep inside leaves the counter where it found it: a buffer that is reused after
    /// a failure (by moving its indexes) must not inherit the failed decode's depth.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterNested()
    {
        if (++_depth > MaxDepth)
            ThrowTooDeep();
    }

    [DoesNotReturn]
    private void ThrowTooDeep()
    {
        _depth--;
        throw new DecodeException($"nesting deeper than {MaxDepth} levels at offset {ReadIndex}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void LeaveNested() => _depth--;

    // ---- pooling ----

    [ThreadStatic] private static ByteBuffer?[]? t_cache;

    /// <summary>
    /// A buffer with a pooled array of at least <paramref name="minCapacity"/> bytes, for messages that
    /// are encoded and sent at once. Give it back with <see cref="Return"/>.
    /// </summary>
    public static ByteBuffer Rent(int minCapacity = 256)
    {
        var cache = t_cache;
        if (cache != null)
        {
            for (int i = 0; i < cache.Length; i++)
            {
                var bb = cache[i];
                if (bb != null)
                {
                    cache[i] = null;
                    bb._cached = false;
                    if (bb.Bytes.Length < minCapacity) bb.EnsureWrite(minCapacity);
                    return bb;
                }
            }
        }
        return new ByteBuffer(ArrayPool<byte>.Shared.Rent(Math.Max(minCapacity, 16)), 0, 0) { _pooled = true };
    }

    /// <summary>
    /// Gives a buffer from <see cref="Rent"/> back to the pool. Other buffers, and buffers already given
    /// back, are ignored.
    /// </summary>
    public static void Return(ByteBuffer bb)
    {
        if (!bb._pooled || bb._cached) return;
        bb.Reset();
        if (bb.Bytes.Length > 1 << 20)
        {
            // Very large arrays go back to the shared pool instead of being kept per thread.
            ArrayPool<byte>.Shared.Return(bb.Bytes);
            bb.Bytes = ArrayPool<byte>.Shared.Rent(256);
        }
        var cache = t_cache ??= new ByteBuffer?[4];
        for (int i = 0; i < cache.Length; i++)
        {
            if (cache[i] == null)
            {
                cache[i] = bb;
                bb._cached = true;
                return;
            }
        }
        ArrayPool<byte>.Shared.Return(bb.Bytes);
        bb.Bytes = [];
        bb._pooled = false;
    }

    public override string ToString()
    {
        var span = Span;
        return span.Length <= 256 ? Convert.ToHexString(span) : Convert.ToHexString(span[..256]) + $"...({span.Length} bytes)";
    }
}
