using System.Diagnostics;
using Zeze.Net;
using Zeze.Net.Handshake;

namespace Zeze.Bench.Network;

/// <summary>
/// N1/N2/N3: a server and a client service in this process on loopback; <c>connections</c> client
/// connections, each with <c>inFlight</c> concurrent callers sending echo rpcs one after another until
/// <c>count</c> rpcs are done. Checks that every rpc succeeded and echoed its own id.
/// </summary>
internal static class RpcEchoRun
{
    public static async Task<WorkloadResult> RunAsync(long count, int connections, int inFlight, bool secured)
    {
        var serverOptions = new ServiceOptions { KeepCheckPeriod = 0, Backlog = 4096 };
        serverOptions.Acceptors.Add(new AcceptorOptions { Ip = "127.0.0.1", Port = 0 });
        var clientOptions = new ServiceOptions { KeepCheckPeriod = 0 };
        if (secured)
        {
            serverOptions.EncryptType = EncryptType.AesNoSecureIp;
            serverOptions.CompressS2c = serverOptions.CompressC2s = CompressType.Mppc;
        }
        await using Service server = secured ? new HandshakeServer("bench-server", serverOptions) : new Service("bench-server", serverOptions);
        await using Service client = secured ? new HandshakeClient("bench-client", clientOptions) : new Service("bench-client", clientOptions);
        server.AddFactoryHandle(EchoRpc.TypeId_, EchoRpc.ServerHandle);
        client.AddFactoryHandle(EchoRpc.TypeId_, EchoRpc.ClientHandle);
        await server.StartAsync();
        await client.StartAsync();
        int port = server.Acceptors[0].LocalEndPoint!.Port;

        var sockets = new AsyncSocket[connections];
        for (int i = 0; i < connections; i += 200)
        {
            var batch = Enumerable.Range(i, Math.Min(200, connections - i)).Select(async k =>
            {
                var so = await client.ConnectAsync("127.0.0.1", port);
                if (!await so.Ready.WaitAsync(TimeSpan.FromSeconds(30))) throw new InvalidOperationException("handshake failed: " + so.CloseReason);
                sockets[k] = so;
            });
            await Task.WhenAll(batch);
        }
        if (secured && sockets[0].EncryptType != EncryptType.AesNoSecureIp) throw new InvalidOperationException("not secured");

        await EchoWarmup.RunAsync(n => Drive(sockets, n, inFlight, null), count);
        var latency = new LatencyRecorder();
        using var probe = new EchoRunProbe();
        var sw = Stopwatch.StartNew();
        long failures = await Drive(sockets, count, inFlight, latency);
        sw.Stop();
        string note = probe.Note(count, "alloc_bytes_per_rpc") + FormattableString.Invariant($" connections={connections} in_flight={inFlight * connections}");
        return new WorkloadResult(count, sw.Elapsed.TotalSeconds, failures == 0, latency, note);
    }

    private static async Task<long> Drive(AsyncSocket[] sockets, long count, int inFlightPerConnection, LatencyRecorder? latency)
    {
        long issued = 0, failures = 0;
        var data = new byte[BEcho.DataSize];
        Random.Shared.NextBytes(data);
        async Task Caller(AsyncSocket so)
        {
            long id;
            while ((id = Interlocked.Increment(ref issued)) <= count)
            {
                var rpc = new EchoRpc();
                rpc.Argument.Id = id;
                rpc.Argument.Data = data;
                long start = LatencyRecorder.Start();
                long rc = await rpc.SendAsync(so, 30_000);
                latency?.Record(start);
                if (rc != 0 || rpc.Result.Id != id || rpc.Result.Data.Length != BEcho.DataSize) Interlocked.Increment(ref failures);
            }
        }
        var callers = new List<Task>();
        foreach (var so in sockets)
            for (int i = 0; i < inFlightPerConnection; i++)
                callers.Add(Caller(so));
        await Task.WhenAll(callers);
        return failures;
    }
}
