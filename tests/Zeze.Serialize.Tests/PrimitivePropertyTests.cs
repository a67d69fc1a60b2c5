using System.Text;
using CsCheck;

namespace Zeze.Serialize.Tests;

/// <summary>Round trips of every primitive over its full range, and the compact integers against a model.</summary>
public class PrimitivePropertyTests
{
    private const long Iter = 20_000;

    /// <summary>Every long, with extra weight on the edges of each length class (±2^k, ±2^k ± 1).</summary>
    internal static readonly Gen<long> AnyLong = Gen.OneOf(
        Gen.Long,
        Gen.Long.Uniform,
        Gen.Select(Gen.Int[0, 63], Gen.Int[-1, 1], Gen.Bool, (k, d, neg) => (neg ? -(1L << k) : 1L << k) + d),
        Gen.OneOf(Gen.Const(long.MinValue), Gen.Const(long.MaxValue), Gen.Const(0L), Gen.Const(-1L)));

    internal static readonly Gen<ulong> AnyULong = Gen.OneOf(
        Gen.Long.Uniform.Select(x => (ulong)x),
        Gen.Select(Gen.Int[0, 63], Gen.Int[-1, 1], (k, d) => (1UL << k) + (ulong)d),
        Gen.OneOf(Gen.Const(0UL), Gen.Const(ulong.MaxValue)));

    /// <summary>Every float bit pattern: NaNs with any payload, both zeros, infinities, subnormals.</summary>
    internal static readonly Gen<float> AnyFloat = Gen.OneOf(
        Gen.Int.Uniform.Select(BitConverter.Int32BitsToSingle),
        Gen.OneOf(Gen.Const(-0.0f), Gen.Const(float.NaN), Gen.Const(float.Epsilon), Gen.Const(float.NegativeInfinity)));

    internal static readonly Gen<double> AnyDouble = Gen.OneOf(
        Gen.Long.Uniform.Select(BitConverter.Int64BitsToDouble),
        Gen.Double.Special,
        Gen.OneOf(Gen.Const(-0.0), Gen.Const(BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001))));

    /// <summary>Any UTF-16 text, including lone surrogates, with surrogate pairs made likely.</summary>
    internal static readonly Gen<string> AnyString = Gen.OneOf(
        Gen.Char['\0', '\uFFFF'],
        Gen.Char['\uD800', '\uDFFF'],
        Gen.Char['a', 'z']).Array[0, 90].Select(cs => new string(cs));

    [Fact]
    public void SignedLongMatchesTheLayoutModel() => AnyLong.Sample(x =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteLong(x);
        byte[] expected = ReferenceVarint.Signed(x);
        Assert.Equal(Convert.ToHexString(expected), Hex.Of(bb));
        Assert.Equal(expected.Length, ByteBuffer.WriteLongSize(x));
        Assert.Equal(x, ByteBuffer.Wrap(bb.ToArray()).ReadLong());
        var skip = ByteBuffer.Wrap(bb.ToArray());
        skip.SkipLong();
        Assert.Equal(0, skip.Size);
        Assert.Equal((int)x, ByteBuffer.Wrap(bb.ToArray()).ReadInt());     // truncating, as Zeze does
        Assert.Equal((short)x, ByteBuffer.Wrap(bb.ToArray()).ReadShort());
        AssertBothPathsAgree(expected, b => b.WriteLong(x), b => Assert.Equal(x, b.ReadLong()));
        // TryReadLong: every cut of the integer is refused without consuming anything; the whole one is read,
        // with or without bytes after it.
        var padded = new byte[expected.Length + 9];
        Array.Fill(padded, (byte)0x80);
        expected.CopyTo(padded, 0);
        for (int k = 0; k <= expected.Length; k++)
        {
            var part = ByteBuffer.Wrap(padded, 0, k);
            bool whole = k == expected.Length;
            Assert.Equal(whole, part.TryReadLong(out long v));
            Assert.Equal(whole ? x : 0, v);
            Assert.Equal(whole ? k : 0, part.ReadIndex);
        }
        var longer = ByteBuffer.Wrap(padded);
        Assert.True(longer.TryReadLong(out long w));
        Assert.Equal(x, w);
        Assert.Equal(expected.Length, longer.ReadIndex);
    }, iter: Iter);

    [Fact]
    public void UnsignedLongMatchesTheLayoutModel() => AnyULong.Sample(x =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteULong(x);
        byte[] expected = ReferenceVarint.Unsigned(x);
        Assert.Equal(Convert.ToHexString(expected), Hex.Of(bb));
        Assert.Equal(expected.Length, ByteBuffer.WriteULongSize(x));
        Assert.Equal(x, ByteBuffer.Wrap(bb.ToArray()).ReadULong());
        var skip = ByteBuffer.Wrap(bb.ToArray());
        skip.SkipUInt();
        Assert.Equal(0, skip.Size);
        AssertBothPathsAgree(expected, b => b.WriteULong(x), b => Assert.Equal(x, b.ReadULong()));
    }, iter: Iter);

    /// <summary>
    /// The compact integers have a fast path (the array has room for eight bytes at the position: the whole
    /// integer is stored or loaded at once) and a byte-by-byte one (near the end of the array). Both must
    /// write the same bytes; reading must ignore whatever follows the end of the data, and refuse an integer
    /// cut short by it even when the array goes on.
    /// </summary>
    private static void AssertBothPathsAgree(byte[] expected, Action<ByteBuffer> write, Action<ByteBuffer> readAndCheck)
    {
        var roomy = ByteBuffer.Allocate(64);
        roomy.Append([0xAA, 0xAA, 0xAA]);
        write(roomy);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(roomy.Span[3..]));
        var nearEnd = ByteBuffer.Allocate(16);
        nearEnd.Append(new byte[10]); // 6 bytes left: the byte-by-byte path (which grows the array)
        write(nearEnd);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(nearEnd.Span[10..]));

        var padded = new byte[expected.Length + 16];
        Array.Fill(padded, (byte)0xFF); // a run of ones after the data: the worst case for length prefixes
        expected.CopyTo(padded, 0);
        var exact = ByteBuffer.Wrap(padded, 0, expected.Length);
        readAndCheck(exact);
        Assert.Equal(0, exact.Size);
        if (expected.Length > 1)
        {
            var cut = ByteBuffer.Wrap(padded, 0, expected.Length - 1);
            Assert.Throws<DecodeException>(() => readAndCheck(cut));
            Assert.Equal(0, cut.ReadIndex); // nothing consumed
        }
        Array.Fill(padded, (byte)0x00);
        expected.CopyTo(padded, 0);
        var zeros = ByteBuffer.Wrap(padded, 0, expected.Length);
        readAndCheck(zeros);
        Assert.Equal(0, zeros.Size);
    }

    [Fact]
    public void IntShortAndUIntRoundTrip() => Gen.Int.Uniform.Sample(x =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteInt(x);
        bb.WriteShort((short)x);
        bb.WriteUInt(x);
        Assert.Equal(ByteBuffer.WriteUIntSize(x), bb.Size - ByteBuffer.WriteLongSize(x) - ByteBuffer.WriteLongSize((short)x));
        Assert.Equal(x, bb.ReadInt());
        Assert.Equal((short)x, bb.ReadShort());
        Assert.Equal(x, bb.ReadUInt());
        Assert.Equal(0, bb.Size);
    }, iter: Iter);

    [Fact]
    public void FixedWidthIntegersRoundTrip() => Gen.Select(Gen.Int.Uniform, Gen.Long.Uniform).Sample((i, l) =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteInt4(i);
        bb.WriteLong8(l);
        Assert.Equal(12, bb.Size);
        Assert.Equal(i, bb.ReadInt4());
        Assert.Equal(l, bb.ReadLong8());
    }, iter: Iter);

    [Fact]
    public void FloatBitsRoundTrip() => AnyFloat.Sample(x =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteFloat(x);
        Assert.Equal(BitConverter.SingleToInt32Bits(x), BitConverter.SingleToInt32Bits(bb.ReadFloat()));
    }, iter: Iter);

    [Fact]
    public void DoubleBitsRoundTrip() => AnyDouble.Sample(x =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteDouble(x);
        Assert.Equal(BitConverter.DoubleToInt64Bits(x), BitConverter.DoubleToInt64Bits(bb.ReadDouble()));
    }, iter: Iter);

    [Fact]
    public void BoolRoundTrips() => Gen.Bool.Sample(b =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteBool(b);
        Assert.Equal(b, bb.ReadBool());
    }, iter: 100);

    [Fact]
    public void StringRoundTripsAsDotNetUtf8Does() => AnyString.Sample(s =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteString(s);
        byte[] utf8 = Encoding.UTF8.GetBytes(s); // lone surrogates become EF BF BD
        var expected = ByteBuffer.Allocate();
        expected.WriteUInt(utf8.Length);
        expected.Append(utf8);
        Assert.Equal(Hex.Of(expected), Hex.Of(bb));
        Assert.Equal(Encoding.UTF8.GetString(utf8), bb.ReadString());
        Assert.Equal(0, bb.Size);
    }, iter: Iter);

    [Fact]
    public void BinaryRoundTrips() => Gen.Byte.Array[0, 300].Sample(data =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteBinary(new Binary(data));
        bb.WriteBytes(data);
        Assert.Equal(new Binary(data), bb.ReadBinary());
        Assert.True(bb.ReadBytesSpan().SequenceEqual(data));
        Assert.Equal(0, bb.Size);
    }, iter: 5_000);

    [Fact]
    public void DecimalRoundTripsWithItsScale() => Gen.Decimal.Sample(d =>
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteDecimal(d);
        decimal back = bb.ReadDecimal();
        Assert.Equal(d, back);
        if (d != 0) Assert.Equal(decimal.GetBits(d), decimal.GetBits(back));
    }, iter: 5_000);

    [Fact]
    public void VectorsRoundTrip() =>
        Gen.Select(AnyFloat.Array[4], Gen.Int.Uniform.Array[3]).Sample((f, n) =>
        {
            var bb = ByteBuffer.Allocate();
            bb.WriteVector2(new Vector2(f[0], f[1]));
            bb.WriteVector3(new Vector3(f[0], f[1], f[2]));
            bb.WriteVector4(new Vector4(f[0], f[1], f[2], f[3]));
            bb.WriteQuaternion(new Quaternion(f[3], f[2], f[1], f[0]));
            bb.WriteVector2Int(new Vector2Int(n[0], n[1]));
            bb.WriteVector3Int(new Vector3Int(n[0], n[1], n[2]));
            // Record equality on floats treats NaN as equal to NaN; compare bits to be exact.
            Assert.Equal(Bits(f[0], f[1]), Bits(bb.ReadVector2()));
            Assert.Equal(Bits(f[0], f[1], f[2]), Bits(bb.ReadVector3()));
            Assert.Equal(Bits(f[0], f[1], f[2], f[3]), Bits(bb.ReadVector4()));
            var q = bb.ReadQuaternion();
            Assert.Equal(Bits(f[3], f[2], f[1], f[0]), Bits(q.X, q.Y, q.Z, q.W));
            Assert.Equal(new Vector2Int(n[0], n[1]), bb.ReadVector2Int());
            Assert.Equal(new Vector3Int(n[0], n[1], n[2]), bb.ReadVector3Int());
            Assert.Equal(0, bb.Size);
        }, iter: 5_000);

    private static string Bits(params float[] fs) => string.Join(",", fs.Select(BitConverter.SingleToInt32Bits));
    private static string Bits(Vector2 v) => Bits(v.X, v.Y);
    private static string Bits(Vector3 v) => Bits(v.X, v.Y, v.Z);
    private static string Bits(Vector4 v) => Bits(v.X, v.Y, v.Z, v.W);
}
