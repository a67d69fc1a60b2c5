using System.Diagnostics.Metrics;

namespace Zeze.Services.GlobalCache;

/// <summary>The agent's instruments on the meter "Zeze.GlobalCache".</summary>
internal sealed class AgentMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _acquires;
    private readonly Counter<long> _reduces;
    private readonly Counter<long> _localReleases;
    private readonly Counter<long> _logins;

    public AgentMetrics(int serverId, IMeterFactory? factory)
    {
        var tags = new KeyValuePair<string, object?>[] { new("zeze.server", serverId) };
        _meter = factory?.Create(new MeterOptions(GcmMetrics.MeterName) { Tags = tags }) ?? new Meter(GcmMetrics.MeterName, null, tags);
        _acquires = _meter.CreateCounter<long>("zeze.gcm.agent.acquires", description: "Acquires answered, by requested state and result code");
        _reduces = _meter.CreateCounter<long>("zeze.gcm.agent.reduces", description: "Reduces handled, by result code");
        _localReleases = _meter.CreateCounter<long>("zeze.gcm.agent.local_releases", description: "Local releases started (GCM lost for too long, or re-login refused)");
        _logins = _meter.CreateCounter<long>("zeze.gcm.agent.logins", description: "Logins and re-logins, by kind and result code");
    }

    public void Acquire(int state, long code)
    {
        if (_acquires.Enabled)
            _acquires.Add(1, new KeyValuePair<string, object?>("state", GcmMetrics.StateName(state)), new KeyValuePair<string, object?>("result", code));
    }

    public void Reduce(long code)
    {
        if (_reduces.Enabled) _reduces.Add(1, new KeyValuePair<string, object?>("result", code));
    }

    public void LocalRelease(int index) => _localReleases.Add(1, new KeyValuePair<string, object?>("zeze.gcm.instance", index));

    public void Login(string kind, long code) =>
        _logins.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", code));

    public void Dispose() => _meter.Dispose();
}
