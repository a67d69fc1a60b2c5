using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Zeze.Net.Tests;

/// <summary>Collects log lines in memory so tests can assert on them.</summary>
public sealed class TestLog : ILoggerFactory, ILoggerProvider
{
    public readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Error)> Entries = new();

    public bool Contains(string text) => Entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    public int Count(string text) => Entries.Count(e => e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class Logger(TestLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}

public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeoutMs"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) Assert.Fail($"timed out after {timeoutMs} ms waiting for: {what}");
            await Task.Delay(10);
        }
    }
}

/// <summary>An echo server and helpers to reach it.</summary>
public static class Echo
{
    public static ServiceOptions Options(Action<ServiceOptions>? configure = null)
    {
        var o = new ServiceOptions { KeepCheckPeriod = 0 };
        o.Acceptors.Add(new AcceptorOptions { Ip = "127.0.0.1", Port = 0 });
        configure?.Invoke(o);
        return o;
    }

    /// <summary>Registers the echo handler: answers with the argument; a negative Id returns -Id without answering.</summary>
    public static T WithEcho<T>(this T service) where T : Service
    {
        service.AddFactoryHandle(EchoRpc.TypeId_, new ProtocolFactoryHandle(() => new EchoRpc(), HandleAsync, Transaction.TransactionLevel.None, "test.EchoRpc"));
        return service;
    }

    public static void RegisterEchoClient(this Service service) =>
        service.AddFactoryHandle(EchoRpc.TypeId_, new ProtocolFactoryHandle(() => new EchoRpc(), null, Transaction.TransactionLevel.None, "test.EchoRpc"));

    private static async ValueTask<long> HandleAsync(Protocol p)
    {
        var rpc = (EchoRpc)p;
        if (rpc.Argument.DelayMs > 0) await Task.Delay(rpc.Argument.DelayMs);
        if (rpc.Argument.Id == long.MinValue) throw new InvalidOperationException("handler failure on purpose");
        if (rpc.Argument.Id < 0) return -rpc.Argument.Id;
        rpc.Result = rpc.Argument;
        rpc.SendResult();
        return 0;
    }

    public static int Port(this Service server) => server.Acceptors[0].LocalEndPoint!.Port;

    public static async Task<AsyncSocket> ConnectReadyAsync(this Service client, Service server)
    {
        var so = await client.ConnectAsync("127.0.0.1", server.Port());
        Assert.True(await so.Ready.WaitAsync(TimeSpan.FromSeconds(10)), $"not ready: {so.CloseReason}");
        return so;
    }

    public static async Task<long> EchoAsync(AsyncSocket so, long id, byte[] data, int timeoutMs = 5000)
    {
        var rpc = new EchoRpc();
        rpc.Argument.Id = id;
        rpc.Argument.Data = data;
        long rc = await rpc.SendAsync(so, timeoutMs);
        if (rc == 0)
        {
            Assert.Equal(id, rpc.Result.Id);
            Assert.Equal(data, rpc.Result.Data);
        }
        return rc;
    }

    public static Socket RawConnect(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    public static byte[] Frame(Protocol p) => p.EncodeFrame();

    /// <summary>Reads until the server closes the connection (an orderly close or a reset).</summary>
    public static void DrainUntilClosed(Socket socket)
    {
        var buffer = new byte[4096];
        socket.ReceiveTimeout = 10_000;
        try
        {
            while (socket.Receive(buffer) > 0) { }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // the server closed with our bytes unread: a reset, as expected
        }
    }

    public static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}

/// <summary>Tests that load both cores (thousands of connections): run without other tests beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTests
{
    public const string Name = "heavy";
}
