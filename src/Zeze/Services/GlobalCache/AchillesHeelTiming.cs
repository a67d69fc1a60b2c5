namespace Zeze.Services.GlobalCache;

/// <summary>
/// Every timeout of the global cache protocol, derived from the three inputs configured on the GCM (plus the
/// reconnect timer and the daemon slack, fixed at 1000 ms in production and smaller in tests), as in
/// global-and-raft.md A11 and D4. The GCM sends its inputs in the Login reply; the agent builds the same
/// timing from them, so there is a single source of truth. All values are milliseconds.
/// </summary>
public sealed record AchillesHeelTiming
{
    public const int DefaultMaxNetPing = 3000;
    public const int DefaultServerProcessTime = 14000;
    public const int DefaultServerReleaseTimeout = 60000;
    public const int DefaultReconnectTimer = 1000;
    public const int DefaultDaemonSlack = 1000;

    public AchillesHeelTiming(int maxNetPing, int serverProcessTime, int serverReleaseTimeout,
        int reconnectTimer = DefaultReconnectTimer, int daemonSlack = DefaultDaemonSlack)
    {
        MaxNetPing = maxNetPing;
        ServerProcessTime = serverProcessTime;
        ServerReleaseTimeout = serverReleaseTimeout;
        ReconnectTimer = reconnectTimer;
        DaemonSlack = daemonSlack;
    }

    /// <summary>Zeze's production defaults (3000 / 14000 / 60000, reconnect 1000, slack 1000).</summary>
    public static AchillesHeelTiming Production { get; } = new(DefaultMaxNetPing, DefaultServerProcessTime, DefaultServerReleaseTimeout);

    /// <summary>The small test profile of D4: 100 / 400 / 1500, reconnect 200, slack 1000.</summary>
    public static AchillesHeelTiming TestProfile { get; } = new(100, 400, 1500, reconnectTimer: 200);

    /// <summary>What the agent assumes before its first Login reply (Zeze's agent defaults).</summary>
    public static AchillesHeelTiming AgentDefaults { get; } = new(1500, 10000, 60000);

    public static AchillesHeelTiming From(AchillesHeelConfig c) =>
        new(c.MaxNetPing, c.ServerProcessTime, c.ServerReleaseTimeout, c.ReconnectTimer, c.DaemonSlack);

    public AchillesHeelConfig ToConfig() => new()
    {
        MaxNetPing = MaxNetPing, ServerProcessTime = ServerProcessTime, ServerReleaseTimeout = ServerReleaseTimeout,
        ReconnectTimer = ReconnectTimer, DaemonSlack = DaemonSlack,
    };

    // ---- inputs ----
    public int MaxNetPing { get; }
    public int ServerProcessTime { get; }
    public int ServerReleaseTimeout { get; }

    /// <summary>The agent's reconnect delay cap.</summary>
    public int ReconnectTimer { get; }

    /// <summary>The fixed margin added to GlobalDaemonTimeout (1000 ms in Zeze).</summary>
    public int DaemonSlack { get; }

    // ---- derived ----

    /// <summary>The agent sends KeepAlive when it heard nothing from the GCM for longer.</summary>
    public int ServerKeepAliveIdleTimeout => MaxNetPing;

    /// <summary>The agent starts a local release when it heard nothing from the GCM for longer.</summary>
    public int ServerDaemonTimeout => 8 * ReconnectTimer;

    /// <summary>The GCM kicks an inactive session and releases its keys after this.</summary>
    public int GlobalDaemonTimeout => ServerDaemonTimeout + ServerReleaseTimeout + 2 * MaxNetPing + DaemonSlack;

    /// <summary>GCM → app Reduce rpc.</summary>
    public int ReduceTimeout => MaxNetPing + ServerProcessTime;

    /// <summary>App → GCM Acquire rpc: longer than a reduce, so the GCM's verdict arrives first.</summary>
    public int AcquireTimeout => ReduceTimeout + MaxNetPing;

    public int KeepAliveTimeout => MaxNetPing;

    /// <summary>After an acquire failure, acquires on that agent instance fail locally for this long.</summary>
    public int ServerFastErrorPeriod => ServerDaemonTimeout / 2;

    /// <summary>After a reduce failure, reduces to that server fail without being sent for this long.</summary>
    public int GlobalForbidPeriod => ServerDaemonTimeout / 2;

    public int LoginTimeout => AcquireTimeout;

    /// <summary>How often the agent's daemon looks (1 s in Zeze; faster for small test profiles).</summary>
    public int AgentDaemonPeriod => Math.Clamp(ServerKeepAliveIdleTimeout / 2, 10, 1000);

    /// <summary>How often the GCM's daemon looks (5 s in Zeze; faster for small test profiles).</summary>
    public int GlobalDaemonPeriod => Math.Clamp(GlobalDaemonTimeout / 10, 10, 5000);

    /// <summary>
    /// The problems with these inputs, each naming the setting; empty when valid. The inequalities are those
    /// the AchillesHeel protocol depends on (A11): a server must hear from the GCM (keep-alive round trip)
    /// before its daemon gives up, and must have released or stopped itself before the GCM revokes its keys.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxNetPing <= 0) errors.Add($"MaxNetPing must be > 0 ms (got {MaxNetPing}).");
        if (ServerProcessTime <= 0) errors.Add($"ServerProcessTime must be > 0 ms (got {ServerProcessTime}).");
        if (ServerReleaseTimeout <= 0) errors.Add($"ServerReleaseTimeout must be > 0 ms (got {ServerReleaseTimeout}).");
        if (ReconnectTimer <= 0) errors.Add($"ReconnectTimer must be > 0 ms (got {ReconnectTimer}).");
        if (DaemonSlack < 0) errors.Add($"DaemonSlack must be >= 0 ms (got {DaemonSlack}).");
        if (errors.Count > 0) return errors;
        long keepAliveRoundTrip = (long)ServerKeepAliveIdleTimeout + KeepAliveTimeout;
        if (keepAliveRoundTrip >= ServerDaemonTimeout)
            errors.Add($"2 x MaxNetPing ({keepAliveRoundTrip} ms: keep-alive idle time plus its timeout) must be less than " +
                $"ServerDaemonTimeout = 8 x ReconnectTimer ({ServerDaemonTimeout} ms); raise ReconnectTimer or lower MaxNetPing.");
        // GlobalDaemonTimeout is built to hold this with DaemonSlack to spare; the check guards overflow of huge inputs.
        long globalDaemon = (long)ServerDaemonTimeout + ServerReleaseTimeout + 2L * MaxNetPing + DaemonSlack;
        if (globalDaemon > int.MaxValue / 2)
            errors.Add($"GlobalDaemonTimeout = 8 x ReconnectTimer + ServerReleaseTimeout + 2 x MaxNetPing + DaemonSlack ({globalDaemon} ms) is too large.");
        if ((long)MaxNetPing + ServerProcessTime + MaxNetPing > int.MaxValue / 2)
            errors.Add($"MaxNetPing + ServerProcessTime is too large.");
        if (AcquireTimeout <= ReduceTimeout)
            errors.Add($"AcquireTimeout ({AcquireTimeout} ms) must exceed ReduceTimeout ({ReduceTimeout} ms).");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public AchillesHeelTiming EnsureValid(string who)
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException($"{who}: invalid global cache timing: {string.Join(" ", errors)}");
        return this;
    }

    public override string ToString() =>
        $"maxNetPing={MaxNetPing} serverProcessTime={ServerProcessTime} serverReleaseTimeout={ServerReleaseTimeout} " +
        $"reconnectTimer={ReconnectTimer} slack={DaemonSlack} => keepAliveIdle={ServerKeepAliveIdleTimeout} " +
        $"serverDaemon={ServerDaemonTimeout} globalDaemon={GlobalDaemonTimeout} reduce={ReduceTimeout} " +
        $"acquire={AcquireTimeout} fastError={ServerFastErrorPeriod} forbid={GlobalForbidPeriod}";
}
