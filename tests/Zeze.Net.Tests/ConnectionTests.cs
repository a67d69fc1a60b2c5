using System.Net.Sockets;

namespace Zeze.Net.Tests;

/// <summary>
/// Connections under stress: many clients, reconnects, limits, peers that misbehave. These load the
/// machine, so they run alone, not beside the tests that measure time.
/// </summary>
[Collection(HeavyTests.Name)]
public class ConnectionTests
{
    [Fact]
    public async Task ConnectorReconnectsAfterTheServerRestarts()
    {
        var server = new Service("server", Echo.Options()).WithEcho();
        await server.StartAsync();
        int port = server.Port();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        await client.StartAsync();
        var connector = client.AddConnector(new ConnectorOptions { HostNameOrAddress = "127.0.0.1", Port = port });
        var first = await connector.GetReadySocketAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await Echo.EchoAsync(first, 1, [1]));

        await server.StopAsync();
        await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await using var restarted = new Service("server", Echo.Options(o => o.Acceptors[0].Port = port)).WithEcho();
        await restarted.StartAsync();

        var second = await connector.GetReadySocketAsync(TimeSpan.FromSeconds(15));
        Assert.NotSame(first, second);
        Assert.Equal(0, await Echo.EchoAsync(second, 2, [2]));
        Assert.True(connector.ConnectAttempts >= 2);
    }

    [Fact]
    public async Task ConnectorBacksOffWhileNothingListens()
    {
        var clientLog = new TestLog();
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            port = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port; // free once disposed
        }
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 }, clientLog);
        await client.StartAsync();
        client.AddConnector(new ConnectorOptions { HostNameOrAddress = "127.0.0.1", Port = port });
        await Wait.UntilAsync(() => clientLog.Count("failed, next try in") >= 2, "two failed attempts", 8000);
        var delays = clientLog.Entries.Where(e => e.Message.Contains("next try in")).Select(e => e.Message).Take(2).ToList();
        Assert.Contains("next try in 1000 ms", delays[0]);
        Assert.Contains("next try in 2000 ms", delays[1]);
    }

    [Fact]
    public async Task AThousandConcurrentConnectionsEachDoingRpcs()
    {
        await using var server = new Service("server", Echo.Options(o => o.Backlog = 1024)).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        await client.StartAsync();

        var sockets = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => client.ConnectReadyAsync(server)));
        await Wait.UntilAsync(() => server.SocketCount == 1000, "1000 server-side sockets");
        var results = await Task.WhenAll(sockets.Select(async (so, i) =>
        {
            long failures = 0;
            for (int k = 0; k < 5; k++)
                failures += await Echo.EchoAsync(so, i * 10 + k, BitConverter.GetBytes(i)) == 0 ? 0 : 1;
            return failures;
        }));
        Assert.Equal(0, results.Sum());
        foreach (var so in sockets) so.Close("done");
        await Wait.UntilAsync(() => server.SocketCount == 0, "server sockets closed");
    }

    [Fact]
    public async Task AnOversizedFrameClosesOnlyThatConnection()
    {
        var serverLog = new TestLog();
        await using var server = new Service("server", Echo.Options(o => o.InputBufferMaxProtocolSize = 4096), serverLog).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var good = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.ConnectReadyAsync(server)));

        // A complete frame of 5000 bytes, in one write: refused all the same.
        using var raw = Echo.RawConnect(server.Port());
        var rpc = new EchoRpc();
        rpc.Argument.Data = new byte[5000];
        raw.Send(rpc.EncodeFrame());
        Echo.DrainUntilClosed(raw);
        await Wait.UntilAsync(() => serverLog.Contains("exceeds InputBufferMaxProtocolSize 4096"), "the over-size log line");
        foreach (var so in good) Assert.Equal(0, await Echo.EchoAsync(so, 7, new byte[4000]));
        // The largest allowed frame still passes.
        var big = new EchoRpc();
        big.Argument.Data = new byte[4000];
        Assert.Equal(0, await big.SendAsync(good[0]));
    }

    [Fact]
    public async Task APeerThatStopsReadingCannotGrowTheOutputPastTheLimit()
    {
        const int limit = 256 * 1024;
        var serverLog = new TestLog();
        await using var server = new Service("server", Echo.Options(o =>
        {
            o.OutputBufferMaxSize = limit;
            o.SendBuffer = 16 * 1024; // keep the kernel's share small so the test is quick
        }), serverLog).WithEcho();
        await server.StartAsync();

        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        raw.Connect(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port()));
        await Wait.UntilAsync(() => server.SocketCount == 1, "accepted");
        var serverSide = server.Sockets.Single();
        int maxSeen = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                maxSeen = Math.Max(maxSeen, serverSide.PendingOutputBytes);
                await Task.Delay(1);
            }
        });

        // Ask for 8 KiB echoes and never read them; the requests themselves keep flowing.
        var request = new EchoRpc();
        request.Argument.Data = new byte[8192];
        var frame = request.EncodeFrame();
        try
        {
            for (int i = 0; i < 2000 && !serverSide.IsClosed; i++)
            {
                raw.Send(frame);
                if (i % 50 == 0) await Task.Delay(1);
            }
        }
        catch (SocketException)
        {
            // the server closed the connection while we were still sending
        }
        await serverSide.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Cancel();
        await sampler;
        Assert.Contains("output buffer overflow", serverSide.CloseReason);
        Assert.True(serverLog.Contains("OutputBufferMaxSize 262144"));
        Assert.InRange(maxSeen, 0, limit);
    }

    [Fact]
    public async Task RandomBytesNeverCrashTheServerNorLeakConnections()
    {
        var rng = new Random(12345);
        await using var plain = new Service("plain", Echo.Options(o => o.Backlog = 512)).WithEcho();
        await using var secured = new Handshake.HandshakeServer("secured", Echo.Options(o =>
        {
            o.Backlog = 512;
            o.EncryptType = 2;
            o.CompressS2c = o.CompressC2s = 1;
        })).WithEcho();
        await plain.StartAsync();
        await secured.StartAsync();
        int fdBefore = Echo.OpenFileDescriptors();

        // Payloads: pure noise, valid headers with noise bodies (so decoders run), and mutated real frames.
        var echo = new EchoRpc();
        echo.Argument.Data = new byte[64];
        byte[] realFrame = echo.EncodeFrame();
        byte[][] realHandshake =
        [
            new Handshake.CHandshake().EncodeFrame(), new Handshake.CHandshakeDone().EncodeFrame(),
            new Handshake.SHandshake0().EncodeFrame(), new Handshake.KeepAlive().EncodeFrame(),
        ];
        byte[] Payload(int i)
        {
            var r = new Random(rng.Next() ^ i);
            switch (i % 3)
            {
                case 0:
                {
                    var b = new byte[r.Next(1, 300)];
                    r.NextBytes(b);
                    return b;
                }
                case 1:
                {
                    var source = i % 2 == 0 ? realFrame : realHandshake[r.Next(realHandshake.Length)];
                    var b = (byte[])source.Clone();
                    for (int k = r.Next(1, 4); k > 0; k--) b[r.Next(12, Math.Max(13, b.Length))] ^= (byte)r.Next(1, 256);
                    return b;
                }
                default:
                {
                    var source = realHandshake[r.Next(realHandshake.Length)];
                    var b = new byte[12 + r.Next(0, 64)];
                    source.AsSpan(0, 8).CopyTo(b);
                    BitConverter.GetBytes(b.Length - 12).CopyTo(b, 8);
                    r.NextBytes(b.AsSpan(12));
                    return b;
                }
            }
        }

        const int total = 10_000;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int next = -1;
        var workers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[4096];
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                int port = (i & 1) == 0 ? plain.Port() : secured.Port();
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(System.Net.IPAddress.Loopback, port);
                try
                {
                    await s.SendAsync(Payload(i), SocketFlags.None);
                    s.Shutdown(SocketShutdown.Send);
                    using var cts = new CancellationTokenSource(2000);
                    while (await s.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { }
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // reset by the server, or it waits for more: either way we leave
                }
                s.LingerState = new LingerOption(true, 0);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(90), $"fuzzing took {sw.Elapsed}");

        await Wait.UntilAsync(() => plain.SocketCount == 0 && secured.SocketCount == 0,
            $"all fuzz connections closed (plain {plain.SocketCount}, secured {secured.SocketCount})", 15_000);
        await Wait.UntilAsync(() => Echo.OpenFileDescriptors() <= fdBefore + 16, $"file descriptors back near {fdBefore} (now {Echo.OpenFileDescriptors()})");

        // Both still serve.
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        Assert.Equal(0, await Echo.EchoAsync(await client.ConnectReadyAsync(plain), 1, [1]));
        await using var secureClient = new Handshake.HandshakeClient("secure-client", new ServiceOptions { KeepCheckPeriod = 0 });
        secureClient.RegisterEchoClient();
        Assert.Equal(0, await Echo.EchoAsync(await secureClient.ConnectReadyAsync(secured), 1, [1]));
    }

    [Fact]
    public async Task KeepAliveClosesSilentPeersAndPingsKeepClientsAlive()
    {
        var serverLog = new TestLog();
        await using var server = new Service("server", Echo.Options(o =>
        {
            o.KeepCheckPeriod = 1;
            o.KeepRecvTimeout = 3; // the client pings every 1 to 2 s: leave room for a slow machine
        }), serverLog).WithEcho();
        await server.StartAsync();
        await using var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 1, KeepSendTimeout = 1, KeepRecvTimeout = 10 });
        client.RegisterEchoClient();
        await client.StartAsync();
        var pinging = await client.ConnectReadyAsync(server);
        using var silent = Echo.RawConnect(server.Port());

        await Wait.UntilAsync(() => serverLog.Contains("keep-alive: nothing received for more than 3 s"), "the silent peer to be reaped", 10_000);
        Assert.False(pinging.IsClosed);
        Assert.Equal(1, server.SocketCount);
        Assert.Equal(0, await Echo.EchoAsync(pinging, 1, [1]));
    }
}
