using Zeze.Net.Handshake;

namespace Zeze.Net;

// Keep-alive (B9): one timer per service scans the connections.
public partial class Service
{
    private void StartKeepAlive()
    {
        int period = Options.KeepCheckPeriod;
        if (period <= 0 || (Options.KeepRecvTimeout <= 0 && Options.KeepSendTimeout <= 0)) return;
        // The first scan comes at a random point of the period, so that many services do not scan together.
        var first = TimeSpan.FromMilliseconds(Random.Shared.Next(1000, period * 1000 + 1));
        _keepAliveTimer = TimeProvider.CreateTimer(static s => ((Service)s!).CheckKeepAlive(), this, first, TimeSpan.FromSeconds(period));
    }

    /// <summary>One keep-alive scan (public so that tests and hosts can drive it).</summary>
    public void CheckKeepAlive()
    {
        long now = TimeProvider.GetTimestamp();
        long frequency = TimeProvider.TimestampFrequency;
        long recvTimeout = Options.KeepRecvTimeout * frequency;
        long sendTimeout = Options.KeepSendTimeout * frequency;
        foreach (var so in _sockets.Values)
        {
            long sinceRecv = now - so.LastReceiveTimestamp;
            if (recvTimeout > 0 && sinceRecv > recvTimeout)
            {
                OnKeepAliveTimeout(so);
                continue;
            }
            // Only the connecting side pings; the accepting side just watches for silence.
            if (!so.IsAccepted && so.IsHandshakeDone && sendTimeout > 0
                && (now - so.LastSendTimestamp > sendTimeout || sinceRecv > sendTimeout))
            {
                new KeepAlive().Send(so); // fire and forget: any response refreshes the receive time
            }
        }
    }

    /// <summary>Nothing arrived for <see cref="ServiceOptions.KeepRecvTimeout"/> seconds. Default: close.</summary>
    protected virtual void OnKeepAliveTimeout(AsyncSocket socket) =>
        socket.Close($"keep-alive: nothing received for more than {Options.KeepRecvTimeout} s");

    private static ValueTask<long> ProcessKeepAlive(KeepAlive request)
    {
        request.SendResult();
        return new ValueTask<long>(0L);
    }
}
