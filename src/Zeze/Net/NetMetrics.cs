using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zeze.Net;

/// <summary>
/// The instruments of the network layer, on the meter "Zeze.Net". Counters are added per receive or send
/// batch, not per frame, so that an unobserved meter costs next to nothing on the hot path. Every
/// measurement carries the service name as tag <c>zeze.service</c>.
/// </summary>
public static class NetMetrics
{
    public const string MeterName = "Zeze.Net";

    private static readonly Meter s_meter = new(MeterName);

    internal static readonly UpDownCounter<long> Connections =
        s_meter.CreateUpDownCounter<long>("zeze.net.connections", "{connection}", "Open connections.");
    internal static readonly Counter<long> ConnectionsClosed =
        s_meter.CreateCounter<long>("zeze.net.connections.closed", "{connection}", "Connections closed, whatever the reason.");
    internal static readonly Counter<long> BytesReceived =
        s_meter.CreateCounter<long>("zeze.net.bytes.received", "By", "Bytes read from sockets (before decryption and decompression).");
    internal static readonly Counter<long> BytesSent =
        s_meter.CreateCounter<long>("zeze.net.bytes.sent", "By", "Bytes written to sockets (after compression and encryption).");
    internal static readonly Counter<long> FramesReceived =
        s_meter.CreateCounter<long>("zeze.net.frames.received", "{frame}", "Frames parsed.");
    internal static readonly Counter<long> FramesSent =
        s_meter.CreateCounter<long>("zeze.net.frames.sent", "{frame}", "Frames queued for sending.");
    internal static readonly Histogram<double> RpcDuration =
        s_meter.CreateHistogram<double>("zeze.net.rpc.duration", "ms", "Time from sending a request to its response or timeout.");
    internal static readonly Counter<long> RpcTimeouts =
        s_meter.CreateCounter<long>("zeze.net.rpc.timeouts", "{rpc}", "Requests that got no response in time.");

    internal static KeyValuePair<string, object?> ServiceTag(string service) => new("zeze.service", service);

    internal static void RecordRpc(string service, long sendTimestamp, bool timedOut)
    {
        if (RpcDuration.Enabled && sendTimestamp != 0)
            RpcDuration.Record(Stopwatch.GetElapsedTime(sendTimestamp).TotalMilliseconds, ServiceTag(service));
        if (timedOut) RpcTimeouts.Add(1, ServiceTag(service));
    }
}
