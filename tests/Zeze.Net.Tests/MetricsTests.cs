using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Zeze.Net.Tests;

public class MetricsTests
{
    [Fact]
    public async Task TheZezeNetMeterReportsTrafficAndRpcs()
    {
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NetMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "zeze.service" && tag.Value is string s && s.StartsWith("metrics-", StringComparison.Ordinal))
                    totals.AddOrUpdate($"{s} {instrument.Name}", value, (_, v) => v + value);
            }
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, 1, t)); // histogram: count samples
        listener.Start();

        await using var server = new Service("metrics-server", Echo.Options()).WithEcho();
        await server.StartAsync();
        await using var client = new Service("metrics-client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var so = await client.ConnectReadyAsync(server);
        for (int i = 0; i < 3; i++) Assert.Equal(0, await Echo.EchoAsync(so, i + 1, [1, 2, 3]));
        var slow = new EchoRpc();
        slow.Argument.DelayMs = 300;
        Assert.Equal(ResultCode.Timeout, await slow.SendAsync(so, 50));
        so.Close("done");
        await Wait.UntilAsync(() => server.SocketCount == 0, "closed");

        double Get(string key) => totals.TryGetValue(key, out var v) ? v : 0;
        Assert.Equal(0, Get("metrics-client zeze.net.connections"));        // +1 then -1
        Assert.Equal(1, Get("metrics-server zeze.net.connections.closed"));
        Assert.True(Get("metrics-client zeze.net.bytes.sent") > 0);
        Assert.True(Get("metrics-server zeze.net.bytes.received") > 0);
        Assert.True(Get("metrics-server zeze.net.frames.received") >= 4);
        Assert.True(Get("metrics-client zeze.net.frames.sent") >= 4);
        Assert.Equal(4, Get("metrics-client zeze.net.rpc.duration"));
        Assert.Equal(1, Get("metrics-client zeze.net.rpc.timeouts"));
    }
}
