using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Zeze.Testing;

namespace Zeze.GlobalCache.Tests;

/// <summary>The TCP fault proxy itself, against a raw echo server.</summary>
public class ProxyTests : IAsyncLifetime
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private TcpFaultProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _ = EchoAsync();
        _proxy = TcpFaultProxy.Start("127.0.0.1", ((IPEndPoint)_listener.LocalEndPoint!).Port);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _proxy.DisposeAsync();
    }

    private async Task EchoAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                var buf = new byte[4096];
                try
                {
                    int n;
                    while ((n = await s.ReceiveAsync(buf)) > 0) await s.SendAsync(buf.AsMemory(0, n));
                }
                catch (SocketException)
                {
                }
                s.Dispose();
            });
        }
    }

    private async Task<Socket> ConnectAsync()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(IPAddress.Loopback, _proxy.Port);
        return s;
    }

    private static async Task<byte[]> EchoOnceAsync(Socket s, byte[] data, int timeoutMs = 5000)
    {
        await s.SendAsync(data);
        var got = new byte[data.Length];
        int at = 0;
        using var cts = new CancellationTokenSource(timeoutMs);
        while (at < got.Length)
        {
            int n = await s.ReceiveAsync(got.AsMemory(at), cts.Token);
            if (n == 0) throw new IOException("closed");
            at += n;
        }
        return got;
    }

    [Fact]
    public async Task ForwardsBothWays()
    {
        using var s = await ConnectAsync();
        var data = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        Assert.Equal(data, await EchoOnceAsync(s, data));
        Assert.Equal(3000, _proxy.BytesForwarded(ProxyDirection.ClientToServer));
        await Wait.UntilAsync(() => _proxy.BytesForwarded(ProxyDirection.ServerToClient) == 3000, "counted");
        Assert.Equal(1, _proxy.ActiveConnections);
    }

    [Fact]
    public async Task DelaysEachDirection()
    {
        using var s = await ConnectAsync();
        _proxy.SetDelay(ProxyDirection.ServerToClient, TimeSpan.FromMilliseconds(200));
        var sw = Stopwatch.StartNew();
        await EchoOnceAsync(s, [1, 2, 3]);
        Assert.InRange(sw.ElapsedMilliseconds, 190, 2000);
        _proxy.Heal();
        sw.Restart();
        await EchoOnceAsync(s, [4]);
        Assert.True(sw.ElapsedMilliseconds < 190);
    }

    [Fact]
    public async Task PauseHoldsAndResumeDelivers()
    {
        using var s = await ConnectAsync();
        _proxy.Pause();
        var echo = EchoOnceAsync(s, [7, 8, 9]);
        await Task.Delay(200);
        Assert.False(echo.IsCompleted);
        _proxy.Resume();
        Assert.Equal([7, 8, 9], await echo);
    }

    [Fact]
    public async Task DropLosesBytesAndCutResets()
    {
        using var s = await ConnectAsync();
        _proxy.SetDrop(ProxyDirection.ClientToServer, true);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EchoOnceAsync(s, [1], timeoutMs: 200));
        _proxy.SetDrop(ProxyDirection.ClientToServer, false);
        Assert.Equal(1, _proxy.CutAll());
        var buf = new byte[1];
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            int n = await s.ReceiveAsync(buf);
            if (n == 0) throw new IOException("closed");
        });
    }

    [Fact]
    public async Task RejectsNewConnectionsWhenAsked()
    {
        _proxy.RejectNewConnections = true;
        var buf = new byte[1];
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var s = await ConnectAsync(); // accepted, then reset: the connect itself may already see it
            await s.SendAsync(new byte[] { 1 });
            int n = await s.ReceiveAsync(buf);
            if (n == 0) throw new IOException("closed");
        });
        _proxy.RejectNewConnections = false;
        using var ok = await ConnectAsync();
        Assert.Equal([5], await EchoOnceAsync(ok, [5]));
    }
}
