using CsCheck;
using Zeze.Net;
using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>Protocol and rpc frames with random header values survive encode and decode.</summary>
public class FramePropertyTests
{
    [Fact]
    public void ProtocolFrameRoundTrips() =>
        Gen.Select(PrimitivePropertyTests.AnyLong, Gen.Int.Uniform, BeanGenerators.Text).Sample((rc, v1, v2) =>
        {
            var p = new Protocol1 { ResultCode = rc, Argument = { V1 = v1, V2 = v2 } };
            var bb = ByteBuffer.Wrap(p.EncodeFrame());
            Assert.Equal((1, -1219587236), (bb.ReadInt4(), bb.ReadInt4()));
            Assert.Equal(bb.Size - 4, bb.ReadInt4());
            var back = new Protocol1();
            back.Decode(bb);
            Assert.Equal(0, bb.Size);
            Assert.Equal((rc, v1, v2), (back.ResultCode, back.Argument.V1, back.Argument.V2));
        }, iter: 2_000);

    [Fact]
    public void RpcFrameRoundTripsInBothDirections() =>
        Gen.Select(PrimitivePropertyTests.AnyLong, PrimitivePropertyTests.AnyLong, Gen.Bool).Sample((rc, sid, request) =>
        {
            var p = new Rpc200 { ResultCode = rc, SessionId = sid, IsRequest = request };
            var bb = ByteBuffer.Wrap(p.EncodeFrame());
            bb.Skip(12);
            var back = new Rpc200 { IsRequest = !request };
            back.Decode(bb);
            Assert.Equal(0, bb.Size);
            Assert.Equal((rc, sid, request), (back.ResultCode, back.SessionId, back.IsRequest));
        }, iter: 2_000);

    [Fact]
    public void HeaderOfAResultCodeIsOneByte()
    {
        // Header values stay below 0x40, so the unsigned and signed forms agree (B2).
        var bb = ByteBuffer.Allocate();
        new Rpc200 { ResultCode = 1, IsRequest = true }.Encode(bb);
        Assert.Equal(0x21, bb.ReadByte());
    }
}
