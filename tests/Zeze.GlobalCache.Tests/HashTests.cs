using Zeze.Services.GlobalCache;

namespace Zeze.GlobalCache.Tests;

/// <summary>
/// The sharding hash (A13, T-18): unsigned bytes, unsigned 32-bit multiply-xor with 16777619, unsigned modulo.
/// The vectors were computed independently (by hand-checked script) from that definition; the "java" column of
/// the comments is what Zeze's Java (sign-extended bytes) would give, to show where the two disagree.
/// </summary>
public class HashTests
{
    [Theory]
    [InlineData("", 0u, 0, 0)]
    [InlineData("00", 0u, 0, 0)]
    [InlineData("01", 1u, 1, 1)]
    [InlineData("0102", 16777617u, 0, 3)]
    [InlineData("FF", 255u, 0, 3)] // java: 4294967295
    [InlineData("8000", 2147535232u, 1, 3)] // java: 2147432064; the hash is above int.MaxValue: unsigned modulo matters
    [InlineData("0100000002", 1345077011u, 2, 5)] // table 1, key byte 2
    [InlineData("39300000FEFFFFFF0F", 2343188187u, 0, 4)] // java: 3771237595
    [InlineData("68656C6C6F", 3966594024u, 0, 1)] // "hello"
    [InlineData("DEADBEEF", 2968943230u, 1, 1)] // java: 560735870
    public void Vectors(string hex, uint hash, int indexOf3, int indexOf7)
    {
        var key = Convert.FromHexString(hex);
        Assert.Equal(hash, GlobalKeyHash.Hash(key));
        Assert.Equal(indexOf3, GlobalKeyHash.InstanceIndex(key, 3));
        Assert.Equal(indexOf7, GlobalKeyHash.InstanceIndex(key, 7));
        Assert.Equal(0, GlobalKeyHash.InstanceIndex(key, 1));
    }

    [Fact]
    public void IndexIsNeverNegativeAndSpreads()
    {
        var counts = new int[3];
        for (long i = 0; i < 3000; i++)
        {
            int index = GlobalKeyHash.InstanceIndex(Keys.Of(i * 7919), 3);
            Assert.InRange(index, 0, 2);
            counts[index]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 700, 1300));
    }

    [Fact]
    public void ZeroInstancesIsAnError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GlobalKeyHash.InstanceIndex([1], 0));
}
