namespace Zeze.Serialize.Tests;

/// <summary>Growth, compaction and pooling of <see cref="ByteBuffer"/> (A1).</summary>
public class BufferMechanicsTests
{
    [Fact]
    public void GrowthIsToThePowerOfTwoAboveTheNeed()
    {
        var bb = ByteBuffer.Allocate();
        Assert.Equal(16, bb.Capacity);
        bb.Append(new byte[17]);
        Assert.Equal(32, bb.Capacity);
        bb.Append(new byte[100]);
        Assert.Equal(128, bb.Capacity);
    }

    [Fact]
    public void ConsumedPrefixIsReusedInPlaceInsteadOfReallocating()
    {
        // Regression: with a small consumed prefix the buffer used to allocate a new array of the same size.
        var bb = ByteBuffer.Allocate(16);
        bb.Append(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());
        bb.ReadByte();
        bb.ReadByte();
        byte[] before = bb.Bytes;
        bb.WriteByte(0xAA);
        Assert.Same(before, bb.Bytes);
        Assert.Equal("02030405060708090A0B0C0D0E0F" + "AA", Hex.Of(bb));
    }

    [Fact]
    public void GrowingKeepsOnlyTheUnreadBytes()
    {
        var bb = ByteBuffer.Allocate(16);
        bb.Append(new byte[10]);
        bb.Skip(8);
        bb.Append(Enumerable.Repeat((byte)7, 30).ToArray());
        Assert.Equal(32, bb.Size);
        Assert.Equal(0, bb.ReadIndex);
    }

    [Fact]
    public void CannotGrowPastTheLimit()
    {
        var bb = ByteBuffer.Allocate();
        Assert.Throws<InvalidOperationException>(() => bb.EnsureWrite(ByteBuffer.MaxCapacity + 1));
    }

    [Fact]
    public void RentedBuffersAreReusedOnTheSameThreadAndStartEmpty()
    {
        var a = ByteBuffer.Rent(64);
        a.WriteLong(123);
        ByteBuffer.Return(a);
        var b = ByteBuffer.Rent(64);
        Assert.Same(a, b);
        Assert.Equal(0, b.Size);
        Assert.True(b.Capacity >= 64);
        ByteBuffer.Return(b);
    }

    [Fact]
    public void RentedBufferGrowsBeyondItsFirstArray()
    {
        var bb = ByteBuffer.Rent(16);
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        bb.Append(data);
        Assert.True(bb.Span.SequenceEqual(data));
        ByteBuffer.Return(bb);
        var again = ByteBuffer.Rent(16);
        Assert.Equal(0, again.Size);
        ByteBuffer.Return(again);
    }

    [Fact]
    public void ReturnIgnoresBuffersThatWereNotRented()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteByte(1);
        ByteBuffer.Return(bb);
        Assert.Equal(1, bb.Size); // untouched
    }

    [Fact]
    public void WrapWithOffsetReadsOnlyTheWindow()
    {
        byte[] bytes = Hex.Parse("FF 10 05 00 FF");
        var bb = ByteBuffer.Wrap(bytes, 1, 3);
        Assert.Equal(3, bb.Size);
        Assert.Equal(0x10, bb.ReadByte());
        Assert.Equal(5, bb.ReadLong());
        Assert.Equal(0, bb.ReadByte());
        Assert.Throws<DecodeException>(() => bb.ReadByte());
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteBuffer.Wrap(bytes, 3, 3));
    }

    [Fact]
    public void SkipOfNegativeOrTooManyBytesIsADecodeException()
    {
        var bb = ByteBuffer.Wrap(new byte[4]);
        Assert.Throws<DecodeException>(() => bb.Skip(5));
        Assert.Throws<DecodeException>(() => bb.Skip(-1));
        Assert.Equal(0, bb.ReadIndex);
    }
}

/// <summary>Pooling misuse that must not corrupt the pool.</summary>
public class BufferPoolMisuseTests
{
    [Fact]
    public void ReturningTwiceDoesNotHandTheSameBufferOutTwice()
    {
        // Regression: a second Return put the buffer in the thread cache again, so two Rents shared it.
        var a = ByteBuffer.Rent(64);
        ByteBuffer.Return(a);
        ByteBuffer.Return(a);
        var first = ByteBuffer.Rent(64);
        var second = ByteBuffer.Rent(64);
        Assert.NotSame(first, second);
        ByteBuffer.Return(first);
        ByteBuffer.Return(second);
    }
}
