namespace Zeze.Services.GlobalCache;

// The status summary (served to `zeze gcm status` and available in-process).
public sealed partial class GlobalCacheManagerServer
{
    private ValueTask<long> ProcessStatus(GlobalStatus rpc)
    {
        rpc.Result = GetStatus();
        rpc.SendResult();
        return ValueTask.FromResult(0L);
    }

    /// <summary>Sessions, keys, queues, counters and hot keys now.</summary>
    public GlobalStatusInfo GetStatus()
    {
        long now = Now;
        var info = new GlobalStatusInfo
        {
            InstanceIndex = Options.InstanceIndex,
            UptimeMs = _startTimestamp == 0 ? 0 : ElapsedMs(_startTimestamp, now),
            QuarantineRemainingMs = QuarantineRemainingMs,
            Timing = Timing.ToString(),
            Counters = _metrics.Snapshot(),
            HotKeys = _hotKeys.Top(),
        };
        foreach (var k in _keys.Values)
        {
            info.Keys++;
            lock (k)
            {
                if (k.InProgress != null) info.BusyKeys++;
                info.QueuedRequests += k.WaitingCount;
            }
        }
        foreach (var s in _sessions.Values.OrderBy(s => s.ServerId))
        {
            var so = s.Socket;
            long lastError = s.LastErrorTimestamp;
            info.Sessions.Add(new GlobalSessionInfo
            {
                ServerId = s.ServerId,
                Connected = so != null,
                Remote = so?.RemoteEndPoint?.ToString() ?? "",
                LoggedIn = s.LoggedIn,
                DebugMode = s.DebugMode,
                KeysHeld = s.Acquired.Count,
                IdleMs = ElapsedMs(s.ActiveTimestamp, now),
                LastErrorAgoMs = lastError == 0 ? -1 : ElapsedMs(lastError, now),
            });
        }
        return info;
    }

    /// <summary>Requests waiting in the queue of <paramref name="globalKey"/> (0 when the key is idle or unknown).</summary>
    public int QueuedRequests(ReadOnlySpan<byte> globalKey)
    {
        if (!_keys.TryGetValue(new Serialize.Binary(globalKey), out var k)) return 0;
        lock (k) return k.WaitingCount;
    }

    /// <summary>The state the GCM records for <paramref name="serverId"/> on <paramref name="globalKey"/>.</summary>
    public int StateOf(int serverId, ReadOnlySpan<byte> globalKey) =>
        _sessions.TryGetValue(serverId, out var s) && s.Acquired.TryGetValue(new Serialize.Binary(globalKey), out int state) ? state : GlobalState.Invalid;
}
