using System.Text;

namespace Zeze.Serialize.Tests;

/// <summary>The [V] examples E36–E43 of wire-and-schema.md A15: floats, doubles, bool, strings, binary.</summary>
public class FixedAndStringGoldenTests
{
    [Theory]
    [InlineData(1.0f, "0000803F")]   // E36
    [InlineData(-2.5f, "000020C0")]  // E36
    public void FloatIsFourBytesLittleEndian(float value, string hex)
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteFloat(value);
        Assert.Equal(hex, Hex.Of(bb));
        Assert.Equal(value, bb.ReadFloat());
        Assert.Equal(0, bb.Size);
    }

    [Theory]
    [InlineData(1.0, "000000000000F03F")]  // E37
    [InlineData(0.1, "9A9999999999B93F")]  // E37
    public void DoubleIsEightBytesLittleEndian(double value, string hex)
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteDouble(value);
        Assert.Equal(hex, Hex.Of(bb));
        Assert.Equal(value, bb.ReadDouble());
        Assert.Equal(0, bb.Size);
    }

    [Fact]
    public void BoolTrueIsOneByte() // E38
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteBool(true);
        bb.WriteBool(false);
        Assert.Equal("0100", Hex.Of(bb));
        Assert.True(bb.ReadBool());
        Assert.False(bb.ReadBool());
    }

    [Fact]
    public void BoolReaderAcceptsAnyCompactInteger()
    {
        // Only 00/01 are single bytes; anything else is read as a signed compact integer and compared with 0.
        var bb = ByteBuffer.Wrap(Hex.Parse("41 2C 7F"));
        Assert.True(bb.ReadBool());
        Assert.Equal(1, bb.Size);
    }

    [Theory]
    [InlineData("abc", "03616263")]                 // E39
    [InlineData("", "00")]                           // E39
    [InlineData("中文", "06E4B8ADE69687")]           // E40
    [InlineData("\U0001F600", "04F09F9880")]         // E41: a surrogate pair is one 4-byte sequence
    public void StringIsUtf8WithLength(string value, string hex)
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteString(value);
        Assert.Equal(hex, Hex.Of(bb));
        Assert.Equal(value, bb.ReadString());
        Assert.Equal(0, bb.Size);
    }

    [Fact]
    public void NullStringIsWrittenAsEmpty()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteString(null);
        Assert.Equal("00", Hex.Of(bb));
        Assert.Equal("", bb.ReadString());
    }

    [Fact]
    public void LoneSurrogateBecomesReplacementCharacter()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteString("a\uD800b");
        Assert.Equal("05" + "61" + "EFBFBD" + "62", Hex.Of(bb));
        Assert.Equal("a\uFFFDb", bb.ReadString());
    }

    [Fact]
    public void InvalidUtf8IsReplacedNotRejected()
    {
        var bb = ByteBuffer.Wrap(Hex.Parse("03 61 FF 62"));
        Assert.Equal("a\uFFFDb", bb.ReadString());
    }

    [Fact]
    public void LongStringTakesTheLongLengthPath()
    {
        // Past 41 chars the writer counts bytes first; the length prefix is then two bytes.
        string s = new('é', 100);
        var bb = ByteBuffer.Allocate();
        bb.WriteString(s);
        Assert.Equal("80C8", Convert.ToHexString(bb.Span[..2]));
        Assert.Equal(202, bb.Size);
        Assert.Equal(s, bb.ReadString());
    }

    [Fact]
    public void BinaryIsLengthThenBytes() // E42
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteBinary(new Binary(Hex.Parse("DE AD BE EF")));
        Assert.Equal("04DEADBEEF", Hex.Of(bb));
        Assert.Equal(new Binary(Hex.Parse("DE AD BE EF")), bb.ReadBinary());
        Assert.Equal(0, bb.Size);
    }

    [Fact]
    public void BinaryOf200BytesHasTwoBytePrefix() // E43
    {
        byte[] data = Enumerable.Range(0, 200).Select(i => (byte)(i * 7)).ToArray();
        var bb = ByteBuffer.Allocate();
        bb.WriteBytes(data);
        Assert.Equal(202, bb.Size);
        Assert.Equal("80C8", Convert.ToHexString(bb.Span[..2]));
        Assert.True(bb.Span[2..].SequenceEqual(data));
        Assert.Equal(data, bb.ReadBytes());
        Assert.Equal(0, bb.Size);
    }

    [Fact]
    public void EmptyBinaryIsOneZeroByte()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteBinary(Binary.Empty);
        bb.WriteBytes([]);
        Assert.Equal("0000", Hex.Of(bb));
        Assert.Same(Binary.Empty, bb.ReadBinary());
        Assert.Empty(bb.ReadBytes());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.50")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001")]
    public void DecimalIsItsInvariantText(string text)
    {
        decimal d = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var bb = ByteBuffer.Allocate();
        bb.WriteDecimal(d);
        var expected = ByteBuffer.Allocate();
        expected.WriteBytes(Encoding.UTF8.GetBytes(text));
        Assert.Equal(Hex.Of(expected), Hex.Of(bb));
        decimal back = bb.ReadDecimal();
        Assert.Equal(d, back);
        Assert.Equal(decimal.GetBits(d), decimal.GetBits(back)); // the scale survives too
    }

    [Fact]
    public void DecimalThatIsNotANumberIsADecodeException()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteString("12abc");
        Assert.Throws<DecodeException>(() => bb.ReadDecimal());
    }
}
