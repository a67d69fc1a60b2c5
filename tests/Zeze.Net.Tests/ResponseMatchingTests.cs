using System.Buffers.Binary;
using Zeze.Serialize;

namespace Zeze.Net.Tests;

/// <summary>
/// How a response finds its request: by session id and type. A server written for these tests answers each
/// echo request with a frame the test shapes byte by byte.
/// </summary>
public class ResponseMatchingTests
{
    /// <summary>Answers every echo request with the frame <see cref="Answer"/> builds from its session id.</summary>
    private sealed class ShapingServer(Func<long, byte[]> answer) : Service("shaping-server", Echo.Options())
    {
        protected internal override void DispatchFrame(AsyncSocket socket, int moduleId, int protocolId, ByteBuffer payload)
        {
            var request = new EchoRpc();
            request.Decode(payload);
            socket.Send(answer(request.SessionId));
        }
    }

    // A response frame: the header bytes as given, then the session id and an echo result {1: id}.
    private static byte[] Response(int moduleId, int protocolId, byte[] familyHeader, long sessionId, long id)
    {
        var payload = ByteBuffer.Allocate();
        payload.Append(familyHeader);
        payload.WriteLong(sessionId);
        payload.WriteTag(0, 1, ByteBuffer.INTEGER);
        payload.WriteLong(id);
        payload.WriteByte(0);
        var frame = new byte[12 + payload.Size];
        BinaryPrimitives.WriteInt32LittleEndian(frame, moduleId);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), protocolId);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), payload.Size);
        payload.Span.CopyTo(frame.AsSpan(12));
        return frame;
    }

    private static async Task<(EchoRpc Rpc, long ResultCode, AsyncSocket Socket)> SendOneAsync(Service client, Service server)
    {
        await server.StartAsync();
        var so = await client.ConnectReadyAsync(server);
        var rpc = new EchoRpc();
        rpc.Argument.Id = 77;
        long rc = await rpc.SendAsync(so, timeoutMs: 10_000).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        return (rpc, rc, so);
    }

    [Fact]
    public async Task AResponseOfAnotherTypeUnderAWaitingSessionFailsTheRequestAndClosesTheConnection()
    {
        await using var server = new ShapingServer(sid => Response(7, 200, [0x00], sid, 77)); // Rpc7's type
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        client.AddFactoryHandle(Protocol.MakeTypeId(7, 200), new ProtocolFactoryHandle(() => new Rpc7(), null, Transaction.TransactionLevel.None, "test.Rpc7"));

        var (rpc, rc, so) = await SendOneAsync(client, server);

        Assert.Equal(ResultCode.ErrorRequestId, rc);
        await so.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("matches session", so.CloseReason);
        Assert.Equal(0, client.PendingRpcCount);
        Assert.Equal(0, rpc.Result.Id); // nothing of the other type's bytes was decoded into it
    }

    [Fact]
    public async Task AResponseWhoseHeaderTakesTheLongFormStillCompletesItsRequest()
    {
        // 0x80 0x00 is the two-byte form of 0 (response, no result code): legal, if longer than needed.
        await using var server = new ShapingServer(sid => Response(EchoRpc.ModuleId_, EchoRpc.ProtocolId_, [0x80, 0x00], sid, 77));
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();

        var (rpc, rc, so) = await SendOneAsync(client, server);

        Assert.Equal(0, rc);
        Assert.Equal(77, rpc.Result.Id);
        Assert.False(so.IsClosed);
    }

    [Fact]
    public async Task AResponseCompletesItsRequestWithoutTheTypeRegisteredOnTheSendingSide()
    {
        // Registration is for what a side receives unasked (requests, protocols); a response is matched to the
        // request that is waiting for it.
        await using var server = new Service("server", Echo.Options()).WithEcho();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });

        var (rpc, rc, so) = await SendOneAsync(client, server);

        Assert.Equal(0, rc);
        Assert.Equal(77, rpc.Result.Id);
        Assert.False(so.IsClosed);
        Assert.Equal(0, client.PendingRpcCount);
    }

    [Fact]
    public async Task AResponseWithAResultCodeCarriesTheCode()
    {
        // 0x20: response with a result code, here 5, then the session id and the result.
        await using var server = new ShapingServer(sid => Response(EchoRpc.ModuleId_, EchoRpc.ProtocolId_, [0x20, 0x05], sid, 77));
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();

        var (rpc, rc, _) = await SendOneAsync(client, server);

        Assert.Equal(5, rc);
        Assert.Equal(5, rpc.ResultCode);
        Assert.Equal(77, rpc.Result.Id);
    }
}
