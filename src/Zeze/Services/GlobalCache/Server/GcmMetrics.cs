using System.Diagnostics.Metrics;

namespace Zeze.Services.GlobalCache;

/// <summary>
/// The GCM's instruments on the meter "Zeze.GlobalCache", plus plain counters for the status summary.
/// </summary>
internal sealed class GcmMetrics : IDisposable
{
    public const string MeterName = "Zeze.GlobalCache";

    private const int CodeSlots = 130; // codes 0..127, 128 = negative (transport), 129 = other
    private readonly Meter _meter;
    private readonly long[] _acquires = new long[3 * CodeSlots];
    private readonly Counter<long> _acquireCounter;
    private readonly Counter<long> _reduceCounter;
    private readonly Counter<long> _waitCounter;
    private readonly Histogram<double> _waitDuration;

    public long ReducesSent;
    public long ReducesFailed;
    public long ReducesTimedOut;
    public long ReducesForbidden;
    public long ReducesFresh;
    public long QueueWaits;
    public long DeadlocksAnswered;
    public long Kicks;
    public long Logins;
    public long ReLogins;
    public long LoginsRefused;

    public GcmMetrics(int instanceIndex, IMeterFactory? factory, Func<long> keys, Func<long> sessions)
    {
        var tags = new KeyValuePair<string, object?>[] { new("zeze.gcm.instance", instanceIndex) };
        _meter = factory?.Create(new MeterOptions(MeterName) { Tags = tags }) ?? new Meter(MeterName, null, tags);
        _acquireCounter = _meter.CreateCounter<long>("zeze.gcm.acquires", description: "Acquire requests answered, by requested state and result code");
        _reduceCounter = _meter.CreateCounter<long>("zeze.gcm.reduces", description: "Reduces by outcome (sent, failed, timeout, forbidden, fresh)");
        _waitCounter = _meter.CreateCounter<long>("zeze.gcm.queue.waits", description: "Requests that waited in a key's queue");
        _waitDuration = _meter.CreateHistogram<double>("zeze.gcm.queue.wait.duration", "ms", "Time requests waited in a key's queue");
        _meter.CreateObservableGauge("zeze.gcm.keys", keys, description: "Keys held by some server");
        _meter.CreateObservableGauge("zeze.gcm.sessions.connected", sessions, description: "Sessions with a bound connection");
    }

    public static string StateName(int state) => state switch
    {
        GlobalState.Invalid => "release",
        GlobalState.Share => "share",
        GlobalState.Modify => "modify",
        _ => "other",
    };

    public void Acquire(int state, long code)
    {
        int s = state is >= 0 and <= 2 ? state : 0;
        int slot = code is >= 0 and < 128 ? (int)code : code < 0 ? 128 : 129;
        Interlocked.Increment(ref _acquires[s * CodeSlots + slot]);
        if (_acquireCounter.Enabled)
            _acquireCounter.Add(1, new KeyValuePair<string, object?>("state", StateName(state)), new KeyValuePair<string, object?>("result", code));
    }

    public void Reduce(string outcome, ref long field)
    {
        Interlocked.Increment(ref field);
        if (_reduceCounter.Enabled) _reduceCounter.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void QueueWait()
    {
        Interlocked.Increment(ref QueueWaits);
        _waitCounter.Add(1);
    }

    public void QueueWaitEnded(double ms)
    {
        if (_waitDuration.Enabled) _waitDuration.Record(ms);
    }

    /// <summary>Counters by name for the status ("acquire.modify.23 AcquireModifyDeadLockFound" etc.).</summary>
    public List<KeyValuePair<string, long>> Snapshot()
    {
        var list = new List<KeyValuePair<string, long>>();
        for (int s = 0; s < 3; s++)
        {
            for (int slot = 0; slot < CodeSlots; slot++)
            {
                long v = Interlocked.Read(ref _acquires[s * CodeSlots + slot]);
                if (v == 0) continue;
                string code = slot switch { 128 => "negative", 129 => "other", _ => slot + GlobalResultCodeNames.Suffix(slot) };
                list.Add(new($"acquire.{StateName(s)}.{code}", v));
            }
        }
        list.Add(new("reduce.sent", Interlocked.Read(ref ReducesSent)));
        list.Add(new("reduce.failed", Interlocked.Read(ref ReducesFailed)));
        list.Add(new("reduce.timeout", Interlocked.Read(ref ReducesTimedOut)));
        list.Add(new("reduce.forbidden", Interlocked.Read(ref ReducesForbidden)));
        list.Add(new("reduce.fresh_refused", Interlocked.Read(ref ReducesFresh)));
        list.Add(new("queue.waits", Interlocked.Read(ref QueueWaits)));
        list.Add(new("deadlocks", Interlocked.Read(ref DeadlocksAnswered)));
        list.Add(new("logins", Interlocked.Read(ref Logins)));
        list.Add(new("relogins", Interlocked.Read(ref ReLogins)));
        list.Add(new("logins.refused", Interlocked.Read(ref LoginsRefused)));
        list.Add(new("kicks", Interlocked.Read(ref Kicks)));
        return list;
    }

    public void Dispose() => _meter.Dispose();
}
