using Zeze.Net;
using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>
/// The frame examples F1–F9 of wire-and-schema.md B13: <see cref="Protocol.EncodeFrame()"/> gives exactly
/// the bytes, and the frame header plus <see cref="Protocol.Decode"/> give the message back.
/// </summary>
public class FrameGoldenTests
{
    /// <summary>Checks the 12-byte header against <paramref name="p"/> and decodes the payload into it.</summary>
    private static T DecodeFrame<T>(string hex, T p) where T : Protocol
    {
        var bb = ByteBuffer.Wrap(Hex.Parse(hex));
        Assert.Equal(p.ModuleId, bb.ReadInt4());
        Assert.Equal(p.ProtocolId, bb.ReadInt4());
        int size = bb.ReadInt4();
        Assert.Equal(bb.Size, size); // the size field counts the rest of the frame
        p.Decode(bb);
        Assert.Equal(0, bb.Size);
        return p;
    }

    private static void AssertFrame(Protocol p, string hex) => Assert.Equal(Hex.Norm(hex), Convert.ToHexString(p.EncodeFrame()));

    [Fact]
    public void F1_ProtocolWithArgument()
    {
        const string hex = "01 00 00 00 5C 93 4E B7 04 00 00 00 02 10 05 00";
        AssertFrame(new Protocol1 { Argument = { V1 = 5 } }, hex);
        var p = DecodeFrame(hex, new Protocol1());
        Assert.Equal(5, p.Argument.V1);
        Assert.Equal(0, p.ResultCode);
        Assert.Equal(0x1_B74E_935CL, p.TypeId); // the protocol id is unsigned in the type id
    }

    [Fact]
    public void F2_ProtocolWithResultCode()
    {
        const string hex = "01 00 00 00 64 00 00 00 03 00 00 00 22 FD 00";
        AssertFrame(new Protocol100 { ResultCode = -3 }, hex);
        Assert.Equal(-3, DecodeFrame(hex, new Protocol100()).ResultCode);
    }

    [Fact]
    public void F3_KeepAliveRequest()
    {
        const string hex = "00 00 00 00 E0 42 12 F5 03 00 00 00 01 01 00";
        AssertFrame(new KeepAlive { SessionId = 1 }, hex);
        var p = DecodeFrame(hex, new KeepAlive());
        Assert.True(p.IsRequest);
        Assert.Equal(1, p.SessionId);
    }

    [Fact]
    public void F4_KeepAliveResponse()
    {
        const string hex = "00 00 00 00 E0 42 12 F5 03 00 00 00 00 01 00";
        AssertFrame(new KeepAlive { SessionId = 1, IsRequest = false }, hex);
        var p = DecodeFrame(hex, new KeepAlive());
        Assert.False(p.IsRequest);
        Assert.Equal(1, p.SessionId);
    }

    [Fact]
    public void F5_RpcResponseWithModuleResultCode()
    {
        const string hex = "07 00 00 00 C8 00 00 00 0A 00 00 00 20 7C 07 00 00 00 01 41 2C 00";
        AssertFrame(new Rpc200 { IsRequest = false, SessionId = 300, ResultCode = (7L << 32) | 1 }, hex);
        var p = DecodeFrame(hex, new Rpc200());
        Assert.False(p.IsRequest);
        Assert.Equal(300, p.SessionId);
        Assert.Equal((7L << 32) | 1, p.ResultCode);
    }

    [Fact]
    public void F6_CHandshakeDone()
    {
        const string hex = "00 00 00 00 26 FC 06 71 02 00 00 00 02 00";
        AssertFrame(new CHandshakeDone(), hex);
        DecodeFrame(hex, new CHandshakeDone());
    }

    [Fact]
    public void F7_SHandshake0JavaDefaults()
    {
        const string hex = "00 00 00 00 58 AB B4 87 0B 00 00 00 02 00 03 01 02 03 00 00 02 02 01";
        var p = new SHandshake0 { Argument = { SupportedEncrypt = [1, 2, 3], SupportedCompress = [2, 1] } };
        AssertFrame(p, hex);
        var back = DecodeFrame(hex, new SHandshake0());
        Assert.Equal([1, 2, 3], back.Argument.SupportedEncrypt);
        Assert.Equal([2, 1], back.Argument.SupportedCompress);
    }

    [Fact]
    public void F8_CHandshakeCompressOnly()
    {
        const string hex = "00 00 00 00 1F 4D FA DE 05 00 00 00 02 00 00 01 01";
        AssertFrame(new CHandshake { Argument = { CompressS2c = 1, CompressC2s = 1 } }, hex);
        var back = DecodeFrame(hex, new CHandshake());
        Assert.Equal((0, 1, 1), (back.Argument.EncryptType, back.Argument.CompressS2c, back.Argument.CompressC2s));
        Assert.Empty(back.Argument.EncryptParam);
    }

    [Fact]
    public void F9_SHandshake()
    {
        const string hex = "00 00 00 00 AA D9 D8 D4 05 00 00 00 02 00 01 01 00";
        AssertFrame(new SHandshake { Argument = { CompressS2c = 1, CompressC2s = 1 } }, hex);
        var back = DecodeFrame(hex, new SHandshake());
        Assert.Equal((1, 1, 0), (back.Argument.CompressS2c, back.Argument.CompressC2s, back.Argument.EncryptType));
    }

    [Fact]
    public void CSharpServerDefaultSHandshake0Payload()
    {
        var bb = ByteBuffer.Allocate();
        new SHandshake0 { Argument = { SupportedEncrypt = [1, 2, 3], SupportedCompress = [1] } }.Encode(bb);
        Assert.Equal(Hex.Norm("02 00 03 01 02 03 00 00 01 01"), Hex.Of(bb));
    }

    [Fact]
    public void ProtocolDecodeRejectsAnRpcFamily()
    {
        // An rpc request payload (family 1) arriving for a plain protocol is refused.
        var bb = ByteBuffer.Wrap(Hex.Parse("01 01 00"));
        Assert.Throws<DecodeException>(() => new Protocol100().Decode(bb));
    }

    [Fact]
    public void RpcDecodeRejectsAProtocolFamily()
    {
        var bb = ByteBuffer.Wrap(Hex.Parse("02 01 00"));
        Assert.Throws<DecodeException>(() => new Rpc200().Decode(bb));
    }
}
