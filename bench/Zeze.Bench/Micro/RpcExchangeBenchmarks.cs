using System.Buffers.Binary;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Zeze.Bench.Network;
using Zeze.Net;
using Zeze.Serialize;

namespace Zeze.Bench.Micro;

/// <summary>
/// The user-space work of one N1 exchange without the network: the client sends an echo rpc (pending map,
/// encode, queue), the server dispatches the frame (factory, decode, handler, encode, queue), the client
/// dispatches the response (pending map, decode, completion). The queued bytes are taken from each socket
/// and handed to the other side's dispatch directly. <see cref="RawExchange"/> is the same trip for the raw
/// echo, so the difference is what the rpc layer costs per exchange.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class RpcExchangeBenchmarks
{
    private readonly byte[] _data = new byte[BEcho.DataSize];
    private readonly ByteBuffer _wire = ByteBuffer.Allocate(4096);
    private readonly ByteBuffer _view = ByteBuffer.Wrap([]);
    private Service _client = null!, _server = null!;
    private AsyncSocket _clientSocket = null!, _serverSocket = null!;
    private Socket _s1 = null!, _s2 = null!;
    private long _id;
    private readonly byte[] _rawFrame = new byte[12 + 100];

    [GlobalSetup]
    public void Setup()
    {
        _client = new Service("micro-client", new ServiceOptions { KeepCheckPeriod = 0 });
        _server = new Service("micro-server", new ServiceOptions { KeepCheckPeriod = 0 });
        _server.AddFactoryHandle(EchoRpc.TypeId_, EchoRpc.ServerHandle);
        _client.AddFactoryHandle(EchoRpc.TypeId_, EchoRpc.ClientHandle);
        _s1 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _s2 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _clientSocket = new AsyncSocket(_client, _s1, isAccepted: false, connector: null);
        _serverSocket = new AsyncSocket(_server, _s2, isAccepted: true, connector: null);
        _clientSocket.MarkHandshakeDone();
        _serverSocket.MarkHandshakeDone();
        Random.Shared.NextBytes(_data);
        BinaryPrimitives.WriteInt32LittleEndian(_rawFrame.AsSpan(8), 100);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _s1.Dispose();
        _s2.Dispose();
    }

    [Benchmark]
    public long RpcExchange()
    {
        var rpc = new EchoRpc();
        rpc.Argument.Id = ++_id;
        rpc.Argument.Data = _data;
        var pending = rpc.SendAsync(_clientSocket, 30_000);
        Deliver(_clientSocket, _server, _serverSocket);
        Deliver(_serverSocket, _client, _clientSocket);
        return pending.Result + rpc.Result.Id;
    }

    [Benchmark(Baseline = true)]
    public long RawExchange()
    {
        BinaryPrimitives.WriteInt64LittleEndian(_rawFrame.AsSpan(12), ++_id);
        _clientSocket.Send(_rawFrame);
        _clientSocket.TakeQueuedOutput(_wire);
        // The raw server echoes the frame as it is; the raw client reads the id back.
        _serverSocket.Send(_wire.Span);
        _wire.Reset();
        _serverSocket.TakeQueuedOutput(_wire);
        long echoed = BinaryPrimitives.ReadInt64LittleEndian(_wire.Span[12..]);
        _wire.Reset();
        return echoed;
    }

    // Takes what `from` queued and dispatches each frame in it on `to` (as the receive loop would).
    private void Deliver(AsyncSocket from, Service to, AsyncSocket toSocket)
    {
        from.TakeQueuedOutput(_wire);
        while (_wire.Size >= 12)
        {
            var header = _wire.Span;
            int moduleId = BinaryPrimitives.ReadInt32LittleEndian(header);
            int protocolId = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            int size = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            int start = _wire.ReadIndex + 12;
            _view.Bytes = _wire.Bytes;
            _view.ReadIndex = start;
            _view.WriteIndex = start + size;
            _wire.ReadIndex = start + size;
            to.DispatchFrame(toSocket, moduleId, protocolId, _view);
        }
        _wire.Reset();
    }
}
