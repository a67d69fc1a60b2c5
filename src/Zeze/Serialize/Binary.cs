using System.Runtime.InteropServices;

namespace Zeze.Serialize;

/// <summary>
/// An immutable byte string with value equality: the C# type of schema <c>binary</c>. Safe to use as a
/// table key, map key or set element. Construction copies the input unless told the array is owned.
/// </summary>
public sealed class Binary : IEquatable<Binary>, IComparable<Binary>
{
    public static readonly Binary Empty = new([], owned: true);

    private readonly byte[] _bytes;
    private int _hash;

    public Binary(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    private Binary(byte[] bytes, bool owned) => _bytes = owned ? bytes : (byte[])bytes.Clone();

    /// <summary>Wraps an array the caller promises never to change again (no copy).</summary>
    public static Binary Wrap(byte[] owned) => owned.Length == 0 ? Empty : new Binary(owned, owned: true);

    public int Count => _bytes.Length;
    public ReadOnlySpan<byte> Span => _bytes;
    public ReadOnlyMemory<byte> Memory => _bytes;
    public byte this[int index] => _bytes[index];

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public bool Equals(Binary? other) => other is not null && (ReferenceEquals(this, other) || _bytes.AsSpan().SequenceEqual(other._bytes));
    public override bool Equals(object? obj) => obj is Binary b && Equals(b);

    public override int GetHashCode()
    {
        int h = _hash;
        if (h == 0)
        {
            var hc = new HashCode();
            hc.AddBytes(_bytes);
            h = hc.ToHashCode();
            if (h == 0) h = 1;
            _hash = h;
        }
        return h;
    }

    public int CompareTo(Binary? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    public static bool operator ==(Binary? a, Binary? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Binary? a, Binary? b) => !(a == b);

    public override string ToString() => _bytes.Length <= 64
        ? Convert.ToHexString(_bytes)
        : Convert.ToHexString(_bytes, 0, 64) + $"...({_bytes.Length} bytes)";

    internal byte[] UnsafeArray => _bytes;

    internal static ReadOnlySpan<byte> AsSpanOf(Binary b) => MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(b._bytes), b._bytes.Length);
}
