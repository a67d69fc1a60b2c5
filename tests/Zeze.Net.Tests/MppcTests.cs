using System.Text;
using Zeze.Net.Codec;
using Zeze.Serialize;

namespace Zeze.Net.Tests;

/// <summary>The MPPC vectors of B8, and round trips of many messages through one stream.</summary>
public class MppcTests
{
    private static string Compress(MppcCompressor c, byte[] message)
    {
        var bb = ByteBuffer.Allocate();
        c.Compress(message, bb);
        return Convert.ToHexString(bb.Span);
    }

    [Theory]
    [InlineData("a", "61")]
    [InlineData("abc", "616263")]
    [InlineData("aaaa", "61F05E")]
    [InlineData("abcabcabc", "616263F0EBC0")]
    [InlineData("abcabcabcabc", "616263F0F1")]
    public void SingleMessageVectors(string text, string hex) =>
        Assert.Equal(hex, Compress(new MppcCompressor(), Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void HighByteLiteral() => Assert.Equal("BFF8", Compress(new MppcCompressor(), [0xFF]));

    [Fact]
    public void SecondMessageReferencesTheFirst()
    {
        var c = new MppcCompressor();
        Assert.Equal("61626364", Compress(c, "abcd"u8.ToArray()));
        Assert.Equal("F123C0", Compress(c, "abcd"u8.ToArray()));
    }

    [Fact]
    public void VectorsDecompress()
    {
        var d = new MppcDecompressor();
        var output = ByteBuffer.Allocate();
        foreach (var hex in new[] { "61626364", "F123C0" })
            d.Decompress(Convert.FromHexString(hex), output);
        Assert.Equal("abcdabcd", Encoding.ASCII.GetString(output.Span));

        var aaaa = ByteBuffer.Allocate();
        new MppcDecompressor().Decompress(Convert.FromHexString("61F05E"), aaaa);
        Assert.Equal("aaaa", Encoding.ASCII.GetString(aaaa.Span));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void RandomMessagesRoundTripThroughOneStream(int seed, bool compressible)
    {
        var rng = new Random(seed);
        var compressor = new MppcCompressor();
        var decompressor = new MppcDecompressor();
        var wire = ByteBuffer.Allocate();
        var expected = new List<byte>();
        string[] words = ["zeze", "transaction", "rpc", "bean", "table", " ", "\0\0\0\0", "\u00ff\u00fe"];
        for (int m = 0; m < 400; m++)
        {
            int length = rng.Next(0, m % 50 == 0 ? 20000 : 600);
            var message = new byte[length];
            if (compressible)
            {
                var sb = new StringBuilder();
                while (sb.Length < length) sb.Append(words[rng.Next(words.Length)]);
                for (int i = 0; i < length; i++) message[i] = (byte)sb[i];
            }
            else
            {
                rng.NextBytes(message);
            }
            expected.AddRange(message);
            compressor.Compress(message, wire);
        }
        if (compressible) Assert.True(wire.Size < expected.Count / 2, $"{wire.Size} bytes for {expected.Count}");

        // The receiver sees the stream in arbitrary pieces, cutting codes anywhere.
        var output = ByteBuffer.Allocate();
        var bytes = wire.ToArray();
        for (int at = 0; at < bytes.Length;)
        {
            int n = Math.Min(rng.Next(1, 3000), bytes.Length - at);
            decompressor.Decompress(bytes.AsSpan(at, n), output);
            at += n;
        }
        Assert.Equal(expected.Count, output.Size);
        Assert.True(expected.ToArray().AsSpan().SequenceEqual(output.Span));
    }

    [Fact]
    public void EachMessageIsDecodableOnArrival()
    {
        // B7: every sent frame is fully decodable by the peer when it arrives (the marker completes it).
        var rng = new Random(9);
        var c = new MppcCompressor();
        var d = new MppcDecompressor();
        for (int m = 0; m < 300; m++)
        {
            var message = new byte[rng.Next(1, 300)];
            for (int i = 0; i < message.Length; i++) message[i] = (byte)rng.Next(0, m % 2 == 0 ? 4 : 256);
            var wire = ByteBuffer.Allocate();
            c.Compress(message, wire);
            var output = ByteBuffer.Allocate();
            d.Decompress(wire.Span, output);
            Assert.Equal(message, output.ToArray());
        }
    }

    [Fact]
    public void InvalidStreamsAreRefused()
    {
        // A copy before any history exists.
        Assert.Throws<DecodeException>(() => new MppcDecompressor().Decompress([0xF0, 0x40], ByteBuffer.Allocate()));
        // A length prefix of twelve ones.
        Assert.Throws<DecodeException>(() => new MppcDecompressor().Decompress([0x61, 0xF0, 0x7F, 0xFF, 0xC0], ByteBuffer.Allocate()));
    }
}
