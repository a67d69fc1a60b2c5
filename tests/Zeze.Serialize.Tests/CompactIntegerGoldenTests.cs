using Zeze.Serialize;

namespace Zeze.Serialize.Tests;

/// <summary>The [V] examples E1–E35 of wire-and-schema.md A15: exact bytes both ways.</summary>
public class CompactIntegerGoldenTests
{
    public static TheoryData<long, string> Signed => new()
    {
        { 0, "00" }, { 1, "01" }, { 63, "3F" }, { 64, "4040" }, { -1, "FF" }, { -64, "C0" }, { -65, "BFBF" },
        { 300, "412C" }, { -300, "BED4" }, { 8191, "5FFF" }, { 8192, "602000" }, { -8192, "A000" },
        { -8193, "9FDFFF" }, { 1000000, "6F4240" }, { -1000000, "90BDC0" }, { 2147483647, "787FFFFFFF" },
        { -2147483648, "8780000000" }, { 0x12_3456_789A, "7C123456789A" }, { 1L << 48, "7F01000000000000" },
        { (1L << 55) - 1, "7F7FFFFFFFFFFFFF" }, { 1L << 55, "7F8080000000000000" },
        { long.MaxValue, "7FFFFFFFFFFFFFFFFF" }, { long.MinValue, "800000000000000000" },
        { -(1L << 48), "81000000000000" }, { -(1L << 48) - 1, "80FEFFFFFFFFFFFF" },
    };

    [Theory]
    [MemberData(nameof(Signed))]
    public void SignedLongMatchesZeze(long value, string hex)
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteLong(value);
        Assert.Equal(hex, Convert.ToHexString(bb.Span));
        Assert.Equal(hex.Length / 2, ByteBuffer.WriteLongSize(value));
        Assert.Equal(value, bb.ReadLong());
        Assert.Equal(0, bb.Size);
        var skip = ByteBuffer.From(Convert.FromHexString(hex));
        skip.SkipLong();
        Assert.Equal(0, skip.Size);
    }

    public static TheoryData<ulong, string> Unsigned => new()
    {
        { 127, "7F" }, { 128, "8080" }, { 300, "812C" }, { 16383, "BFFF" }, { 16384, "C04000" },
        { 2097151, "DFFFFF" }, { 2097152, "E0200000" }, { 268435455, "EFFFFFFF" }, { 268435456, "F010000000" },
        { 0xFFFFFFFF, "F0FFFFFFFF" }, { 1UL << 35, "F80800000000" }, { 1UL << 42, "FC04000000000000"[..14] },
        { 1UL << 49, "FE0200000000000000"[..16] }, { 1UL << 56, "FF0100000000000000" }, { ulong.MaxValue, "FFFFFFFFFFFFFFFFFF" },
    };

    [Theory]
    [MemberData(nameof(Unsigned))]
    public void UnsignedLongMatchesZeze(ulong value, string hex)
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteULong(value);
        Assert.Equal(hex, Convert.ToHexString(bb.Span));
        Assert.Equal(hex.Length / 2, ByteBuffer.WriteULongSize(value));
        Assert.Equal(value, bb.ReadULong());
        Assert.Equal(0, bb.Size);
    }

    [Fact]
    public void UIntOfMinusOneIsFiveBytes()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteUInt(-1);
        Assert.Equal("F0FFFFFFFF", Convert.ToHexString(bb.Span));
        Assert.Equal(-1, bb.ReadUInt());
    }
}
