using Zeze.Net.Handshake;
using Zeze.Serialize;

namespace Zeze.Net.Tests;

/// <summary>The frame examples F1–F9 of wire-and-schema.md B13: exact bytes, and decoding them back.</summary>
public class GoldenFrameTests
{
    private static string Hex(Protocol p) => Convert.ToHexString(p.EncodeFrame());

    private static ByteBuffer Payload(string hex)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));
        return ByteBuffer.Wrap(bytes, 12, bytes.Length - 12);
    }

    [Fact]
    public void F1_ProtocolWithArgument()
    {
        var p = new Protocol1();
        p.Argument.V = 5;
        Assert.Equal("010000005C934EB7040000000210050 0".Replace(" ", ""), Hex(p));
        var back = new Protocol1();
        back.Decode(Payload(Hex(p)));
        Assert.Equal(5, back.Argument.V);
    }

    [Fact]
    public void F2_ProtocolWithResultCode()
    {
        var p = new Protocol100 { ResultCode = ResultCode.NotImplement };
        Assert.Equal("0100000064000000030000002" + "2FD00", Hex(p));
        var back = new Protocol100();
        back.Decode(Payload(Hex(p)));
        Assert.Equal(-3, back.ResultCode);
    }

    [Fact]
    public void F3_F4_KeepAliveRequestAndResponse()
    {
        var rpc = new KeepAlive { SessionId = 1 };
        Assert.Equal("00000000E04212F503000000010100", Hex(rpc));
        rpc.IsRequest = false;
        Assert.Equal("00000000E04212F503000000000100", Hex(rpc));
        var back = new KeepAlive();
        back.Decode(Payload("00000000E04212F503000000000100"));
        Assert.False(back.IsRequest);
        Assert.Equal(1, back.SessionId);
    }

    [Fact]
    public void F5_RpcResponseWithModuleResultCode()
    {
        var rpc = new Rpc7 { SessionId = 300, IsRequest = false, ResultCode = ResultCode.Module(7, 1) };
        Assert.Equal("07000000C80000000A000000207C0700000001412C00", Hex(rpc));
        var back = new Rpc7();
        back.Decode(Payload(Hex(rpc)));
        Assert.Equal((7L << 32) | 1, back.ResultCode);
        Assert.Equal(300, back.SessionId);
        Assert.False(back.IsRequest);
    }

    [Fact]
    public void F6_CHandshakeDone() => Assert.Equal("0000000026FC0671020000000200", Hex(new CHandshakeDone()));

    [Fact]
    public void F7_SHandshake0_JavaDefaults()
    {
        var p = new SHandshake0();
        p.Argument.EncryptType = 0;
        p.Argument.SupportedEncrypt = [1, 2, 3];
        p.Argument.SupportedCompress = [2, 1];
        const string hex = "0000000058ABB4870B00000002000301020300000202" + "01";
        Assert.Equal(hex, Hex(p));
        var back = new SHandshake0();
        back.Decode(Payload(hex));
        Assert.Equal([1, 2, 3], back.Argument.SupportedEncrypt);
        Assert.Equal([2, 1], back.Argument.SupportedCompress);
    }

    [Fact]
    public void SHandshake0_CSharpServerDefaultPayload()
    {
        var p = new SHandshake0();
        p.Argument.SupportedEncrypt = [1, 2, 3];
        p.Argument.SupportedCompress = [1];
        var bb = ByteBuffer.Allocate();
        p.Encode(bb);
        Assert.Equal("02000301020300000101", Convert.ToHexString(bb.Span));
    }

    [Fact]
    public void F8_CHandshakeCompressOnly()
    {
        var p = new CHandshake();
        p.Argument.CompressS2c = 1;
        p.Argument.CompressC2s = 1;
        const string hex = "000000001F4DFADE050000000200000101";
        Assert.Equal(hex, Hex(p));
        var back = new CHandshake();
        back.Decode(Payload(hex));
        Assert.Equal((0, 1, 1), (back.Argument.EncryptType, back.Argument.CompressS2c, back.Argument.CompressC2s));
    }

    [Fact]
    public void F9_SHandshakeCompressOnly()
    {
        var p = new SHandshake();
        p.Argument.CompressS2c = 1;
        p.Argument.CompressC2s = 1;
        const string hex = "00000000AAD9D8D4050000000200010100";
        Assert.Equal(hex, Hex(p));
        var back = new SHandshake();
        back.Decode(Payload(hex));
        Assert.Equal((0, 1, 1), (back.Argument.EncryptType, back.Argument.CompressS2c, back.Argument.CompressC2s));
    }

    [Fact]
    public void OldPeersWithoutCompressionFieldsDefaultToMppcWhenEncrypting()
    {
        var c = new CHandshake();
        c.Decode(ByteBuffer.Wrap([0x02, 0x01, 0x01, 0x7F])); // enc 1, param [7F], nothing else
        Assert.Equal((1, 1, 1), (c.Argument.EncryptType, c.Argument.CompressS2c, c.Argument.CompressC2s));
        var s = new SHandshake();
        s.Decode(ByteBuffer.Wrap([0x02, 0x01, 0x7F, 0x00, 0x00])); // no encryptType: param => 1
        Assert.Equal(1, s.Argument.EncryptType);
    }

    [Fact]
    public void DecodingValidatesTheFamilyClass()
    {
        // A protocol payload whose header says "rpc request" (1) is refused, and the reverse.
        Assert.Throws<DecodeException>(() => new Protocol100().Decode(ByteBuffer.Wrap([0x01, 0x00])));
        Assert.Throws<DecodeException>(() => new KeepAlive().Decode(ByteBuffer.Wrap([0x02, 0x01, 0x00])));
    }
}
