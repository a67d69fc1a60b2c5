using System.Net.Sockets;
using System.Threading.Channels;

namespace Zeze.Testing;

/// <summary>One proxied connection: a reader and a writer per direction, the faults applied between them.</summary>
internal sealed class ProxyLink
{
    private readonly Socket _client;
    private readonly Socket _server;
    private readonly TcpFaultProxy.DirectionState[] _directions;
    private readonly CancellationTokenSource _cut;
    private int _closed;

    public ProxyLink(Socket client, Socket server, TcpFaultProxy.DirectionState[] directions, CancellationToken stop)
    {
        _client = client;
        _server = server;
        _directions = directions;
        _cut = CancellationTokenSource.CreateLinkedTokenSource(stop);
    }

    public async Task RunAsync()
    {
        var up = PumpAsync(_client, _server, _directions[(int)ProxyDirection.ClientToServer]);
        var down = PumpAsync(_server, _client, _directions[(int)ProxyDirection.ServerToClient]);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        Cut();
    }

    /// <summary>Resets both sides at once.</summary>
    public void Cut()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _cut.Cancel();
        Reset(_client);
        Reset(_server);
    }

    public static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0); // close with RST
        }
        catch (Exception)
        {
            // already closed
        }
        s.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to, TcpFaultProxy.DirectionState dir)
    {
        var chunks = Channel.CreateUnbounded<(byte[] Data, long Due)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = WriteAsync(to, dir, chunks.Reader);
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _cut.Token).ConfigureAwait(false);
                if (n == 0) break;
                if (dir.Drop) continue;
                long delay = Interlocked.Read(ref dir.DelayTicks);
                long due = delay > 0 ? DateTime.UtcNow.Ticks + delay : 0;
                chunks.Writer.TryWrite((buffer.AsSpan(0, n).ToArray(), due));
            }
            chunks.Writer.TryComplete();
            await writer.ConfigureAwait(false);
            try
            {
                to.Shutdown(SocketShutdown.Send); // pass the orderly end on
            }
            catch (Exception)
            {
                // the other side is gone already
            }
        }
        catch (Exception)
        {
            chunks.Writer.TryComplete();
            Cut();
        }
    }

    private async Task WriteAsync(Socket to, TcpFaultProxy.DirectionState dir, ChannelReader<(byte[] Data, long Due)> reader)
    {
        try
        {
            await foreach (var (data, due) in reader.ReadAllAsync(_cut.Token).ConfigureAwait(false))
            {
                await dir.Gate.WaitOpenAsync(_cut.Token).ConfigureAwait(false);
                long wait = due - DateTime.UtcNow.Ticks;
                if (wait > 0) await Task.Delay(TimeSpan.FromTicks(wait), _cut.Token).ConfigureAwait(false);
                await dir.Gate.WaitOpenAsync(_cut.Token).ConfigureAwait(false);
                int sent = 0;
                while (sent < data.Length) sent += await to.SendAsync(data.AsMemory(sent), SocketFlags.None, _cut.Token).ConfigureAwait(false);
                Interlocked.Add(ref dir.Bytes, data.Length);
            }
        }
        catch (Exception)
        {
            Cut();
        }
    }
}
