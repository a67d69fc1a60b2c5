using Zeze.Net;

namespace Zeze.Services.GlobalCache;

/// <summary>Settings of one GCM instance (<see cref="GlobalCacheManagerServer"/>). Times are milliseconds.</summary>
public sealed class GlobalCacheManagerOptions
{
    /// <summary>The port Zeze's GCM listens on by default.</summary>
    public const int DefaultPort = 5002;

    /// <summary>Address to listen on; empty means every IPv4 and IPv6 address.</summary>
    public string Host { get; set; } = "";

    /// <summary>Port to listen on; 0 picks a free port (see <see cref="GlobalCacheManagerServer.Port"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Index of this instance in the servers' GCM list (shown in the status; the agents compute keys' indexes).</summary>
    public int InstanceIndex { get; set; }

    public int MaxNetPing { get; set; } = AchillesHeelTiming.DefaultMaxNetPing;
    public int ServerProcessTime { get; set; } = AchillesHeelTiming.DefaultServerProcessTime;
    public int ServerReleaseTimeout { get; set; } = AchillesHeelTiming.DefaultServerReleaseTimeout;

    /// <summary>The agents' reconnect cap (ServerDaemonTimeout = 8 x this). Keep 1000 in production; smaller in tests.</summary>
    public int ReconnectTimer { get; set; } = AchillesHeelTiming.DefaultReconnectTimer;

    /// <summary>The fixed margin of GlobalDaemonTimeout. Keep 1000 in production; smaller in tests.</summary>
    public int DaemonSlack { get; set; } = AchillesHeelTiming.DefaultDaemonSlack;

    /// <summary>
    /// Start-up quarantine (A12): after start only Login/ReLogin are served and acquires are answered "not
    /// logged in" (a retry), so that servers that held keys under a previous GCM process have released them.
    /// Null = GlobalDaemonTimeout (the safe value); 0 disables it, which is safe only when no server ran with
    /// a previous GCM process (for example the first start of a cluster, or tests).
    /// </summary>
    public int? QuarantineMs { get; set; }

    /// <summary>Period of the daemon that kicks inactive sessions; null = derived from the timing (5 s in production).</summary>
    public int? DaemonPeriodMs { get; set; }

    /// <summary>How many contended keys the status reports.</summary>
    public int HotKeyCount { get; set; } = 16;

    /// <summary>Network settings of the listening service (buffers, limits); its acceptors are replaced by Host/Port.</summary>
    public ServiceOptions? Network { get; set; }

    public AchillesHeelTiming Timing => new(MaxNetPing, ServerProcessTime, ServerReleaseTimeout, ReconnectTimer, DaemonSlack);

    /// <summary>Sets the timing inputs from a profile (for example <see cref="AchillesHeelTiming.TestProfile"/>).</summary>
    public GlobalCacheManagerOptions UseTiming(AchillesHeelTiming t)
    {
        MaxNetPing = t.MaxNetPing;
        ServerProcessTime = t.ServerProcessTime;
        ServerReleaseTimeout = t.ServerReleaseTimeout;
        ReconnectTimer = t.ReconnectTimer;
        DaemonSlack = t.DaemonSlack;
        return this;
    }

    /// <summary>Every problem, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535) errors.Add($"Port must be 0..65535 (got {Port}).");
        if (InstanceIndex < 0) errors.Add($"InstanceIndex must be >= 0 (got {InstanceIndex}).");
        if (QuarantineMs < 0) errors.Add($"QuarantineMs must be >= 0 or unset (got {QuarantineMs}).");
        if (DaemonPeriodMs <= 0) errors.Add($"DaemonPeriodMs must be > 0 or unset (got {DaemonPeriodMs}).");
        if (HotKeyCount is < 0 or > 10_000) errors.Add($"HotKeyCount must be 0..10000 (got {HotKeyCount}).");
        errors.AddRange(Timing.Validate());
        if (Network != null) errors.AddRange(Network.Validate());
        return errors;
    }
}
