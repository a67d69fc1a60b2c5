using System.Net.Sockets;
using Zeze.Transaction;

namespace Zeze.Net.Tests;

/// <summary>Rpc over real loopback sockets: round trip, timeouts, error replies, dispatch.</summary>
public class RpcTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RoundTripAndResponseHandle(bool dispatchToThreadPool)
    {
        await using var server = new Service("server", Echo.Options(o => o.DispatchToThreadPool = dispatchToThreadPool)).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        await client.StartAsync();
        var so = await client.ConnectReadyAsync(server);

        Assert.Equal(0, await Echo.EchoAsync(so, 1, [1, 2, 3]));
        Assert.Equal(0, await Echo.EchoAsync(so, 2, new byte[100_000]));

        var done = new TaskCompletionSource<long>();
        var rpc = new EchoRpc();
        rpc.Argument.Id = 3;
        Assert.True(rpc.Send(so, r =>
        {
            done.SetResult(r.Result.Id);
            return ValueTask.FromResult(0L);
        }));
        Assert.Equal(3, await done.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, client.PendingRpcCount);
    }

    [Fact]
    public async Task TimeoutReturnsTheCodeAndTheLateResponseIsDroppedWithALogLine()
    {
        var clientLog = new TestLog();
        await using var server = new Service("server", Echo.Options()).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 }, clientLog);
        client.RegisterEchoClient();
        await client.StartAsync();
        var so = await client.ConnectReadyAsync(server);

        var rpc = new EchoRpc();
        rpc.Argument.Id = 5;
        rpc.Argument.DelayMs = 1500; // far beyond the timeout, even on a busy machine
        var sw = System.Diagnostics.Stopwatch.StartNew();
        long rc = await rpc.SendAsync(so, timeoutMs: 100);
        Assert.Equal(ResultCode.Timeout, rc);
        Assert.True(rpc.IsTimeout);
        Assert.InRange(sw.ElapsedMilliseconds, 100, 2000); // never early
        Assert.Equal(0, client.PendingRpcCount);
        await Wait.UntilAsync(() => clientLog.Contains("late or unknown rpc response"), "the late response log line");
        Assert.False(so.IsClosed); // a late response is not a protocol error
        Assert.Equal(0, await Echo.EchoAsync(so, 6, [6]));

        var handled = new TaskCompletionSource<bool>();
        var rpc2 = new EchoRpc();
        rpc2.Argument.DelayMs = 1500;
        rpc2.Send(so, r =>
        {
            handled.SetResult(r.IsTimeout && r.ResultCode == ResultCode.Timeout);
            return ValueTask.FromResult(0L);
        }, timeoutMs: 50);
        Assert.True(await handled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task HandlerResultCodeAndExceptionAreSentBackAutomatically()
    {
        var serverLog = new TestLog();
        await using var server = new Service("server", Echo.Options(), serverLog).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        await client.StartAsync();
        var so = await client.ConnectReadyAsync(server);

        Assert.Equal(42, await Echo.EchoAsync(so, -42, []));
        Assert.Equal(ResultCode.Exception, await Echo.EchoAsync(so, long.MinValue, []));
        Assert.True(serverLog.Contains("handler of test.EchoRpc failed"));
    }

    [Fact]
    public async Task SendOnAClosedSocketFailsAtOnce()
    {
        await using var server = new Service("server", Echo.Options()).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var so = await client.ConnectReadyAsync(server);
        so.Close("test");
        Assert.Equal(ResultCode.ErrorSendFail, await new EchoRpc().SendAsync(so));
        Assert.Equal(ResultCode.ErrorSendFail, await new EchoRpc().SendAsync(null));
        Assert.Equal(0, client.PendingRpcCount);
    }

    [Fact]
    public async Task UnknownProtocolClosesThatConnectionWithAReason()
    {
        var serverLog = new TestLog();
        await using var server = new Service("server", Echo.Options(), serverLog).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var bad = await client.ConnectReadyAsync(server);
        var good = await client.ConnectReadyAsync(server);
        Assert.True(new Protocol100().Send(bad));
        await bad.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await Wait.UntilAsync(() => serverLog.Contains("unknown protocol (module 1, id 100"), "the unknown protocol log line");
        Assert.Equal(0, await Echo.EchoAsync(good, 1, [1]));
    }

    private sealed class RecordingRunner : IProcedureRunner
    {
        public readonly List<(string Name, TransactionLevel Level)> Runs = [];

        public async ValueTask<long> RunAsync<TState>(Func<TState, ValueTask<long>> action, TState state, string name, TransactionLevel level)
        {
            lock (Runs) Runs.Add((name, level));
            return await action(state);
        }
    }

    [Fact]
    public async Task HandlersRunThroughTheProcedureRunnerUnlessLevelIsNone()
    {
        var runner = new RecordingRunner();
        await using var server = new Service("server", Echo.Options(), procedureRunner: runner);
        var seen = new TaskCompletionSource<int>();
        server.AddFactoryHandle(Protocol.MakeTypeId(1, -1219587236), new ProtocolFactoryHandle(() => new Protocol1(), p =>
        {
            seen.TrySetResult(((Protocol1)p).Argument.V);
            return ValueTask.FromResult(0L);
        }, TransactionLevel.Serializable, "demo.Module1.Protocol1"));
        server.WithEcho(); // level None: must not go through the runner
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var so = await client.ConnectReadyAsync(server);

        var p1 = new Protocol1();
        p1.Argument.V = 77;
        Assert.True(p1.Send(so));
        Assert.Equal(77, await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await Echo.EchoAsync(so, 1, [1]));
        lock (runner.Runs) Assert.Equal([("demo.Module1.Protocol1", TransactionLevel.Serializable)], runner.Runs);
    }

    [Fact]
    public async Task ProtocolBeforeHandshakeIsRefused()
    {
        var serverLog = new TestLog();
        await using var server = new Handshake.HandshakeServer("server", Echo.Options(), serverLog).WithEcho();
        await server.StartAsync();
        using var raw = Echo.RawConnect(server.Port());
        var rpc = new EchoRpc();
        raw.Send(rpc.EncodeFrame());
        Echo.DrainUntilClosed(raw);
        await Wait.UntilAsync(() => serverLog.Contains("before the handshake finished"), "the refusal log line");
    }

    [Fact]
    public async Task CloseAfterFlushDeliversWhatWasQueued()
    {
        await using var server = new Service("server", Echo.Options());
        server.AddFactoryHandle(EchoRpc.TypeId_, new ProtocolFactoryHandle(() => new EchoRpc(), p =>
        {
            var rpc = (EchoRpc)p;
            rpc.Result = rpc.Argument;
            rpc.SendResult();
            rpc.Sender!.CloseAfterFlush("goodbye");
            Assert.False(new Protocol100().Send(rpc.Sender)); // refused once closing
            return ValueTask.FromResult(0L);
        }, TransactionLevel.None, "test.EchoRpc"));
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var so = await client.ConnectReadyAsync(server);
        Assert.Equal(0, await Echo.EchoAsync(so, 9, new byte[50_000]));
        await so.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await Wait.UntilAsync(() => server.SocketCount == 0, "the server side closed");
    }

    [Fact]
    public async Task StoppingTheServiceCompletesWaitingRequestsWithClosed()
    {
        await using var server = new Service("server", Echo.Options()).WithEcho();
        await server.StartAsync();
        var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        await client.StartAsync();
        var so = await client.ConnectReadyAsync(server);
        var rpc = new EchoRpc();
        rpc.Argument.DelayMs = 5000;
        var waiting = rpc.SendAsync(so, timeoutMs: 60_000).AsTask();
        await Wait.UntilAsync(() => client.PendingRpcCount == 1, "the request to be pending");
        await client.StopAsync();
        Assert.Equal(ResultCode.Closed, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(false)] // plain: the frame is encoded straight into the output buffer
    [InlineData(true)]  // encrypted and compressed: encoded aside, then compressed into the output
    public async Task AMessageThatFailsToEncodeSendsNothingAndTheConnectionGoesOn(bool secured)
    {
        var serverOptions = Echo.Options(o =>
        {
            if (!secured) return;
            o.EncryptType = Handshake.EncryptType.AesNoSecureIp;
            o.CompressS2c = o.CompressC2s = Handshake.CompressType.Mppc;
        });
        await using Service server = secured ? new Handshake.HandshakeServer("server", serverOptions) : new Service("server", serverOptions);
        server.WithEcho();
        await server.StartAsync();
        await using Service client = secured
            ? new Handshake.HandshakeClient("client", new ServiceOptions { KeepCheckPeriod = 0 })
            : new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        await client.StartAsync();
        var so = await client.ConnectReadyAsync(server);
        Assert.Equal(0, await Echo.EchoAsync(so, 1, [1]));

        var error = Assert.Throws<InvalidOperationException>(() => new FailingEncodeProtocol().Send(so));
        Assert.Contains("fails to encode", error.Message);

        // Had half a frame been queued, the server would read garbage and close; instead it keeps answering.
        Assert.Equal(0, await Echo.EchoAsync(so, 2, [2, 2]));
        Assert.Equal(0, await Echo.EchoAsync(so, 3, new byte[5000]));
        Assert.False(so.IsClosed);
        Assert.All(server.Sockets, s => Assert.False(s.IsClosed));
    }
}
