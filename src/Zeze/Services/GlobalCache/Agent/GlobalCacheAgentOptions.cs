using System.Globalization;
using Zeze.Net;

namespace Zeze.Services.GlobalCache;

/// <summary>Settings of an app server's <see cref="GlobalCacheAgent"/>.</summary>
public sealed class GlobalCacheAgentOptions
{
    /// <summary>
    /// The GCM instances, "host:port" separated by ';' (or ','), in the same order on every server sharing the
    /// database: the order decides which instance owns which key (A13). IPv6: "[::1]:5002".
    /// </summary>
    public string Managers { get; set; } = "";

    /// <summary>This server's id: stable across restarts, unique among the servers sharing the database.</summary>
    public int ServerId { get; set; } = -1;

    /// <summary>A server being debugged (stopped in a debugger): exempt from the AchillesHeel daemons on both sides.</summary>
    public bool DebugMode { get; set; }

    /// <summary>
    /// The timing used before the first Login reply (login timeout, reconnect delay). After it, the GCM's timing
    /// is used. Default: Zeze's agent defaults.
    /// </summary>
    public AchillesHeelTiming InitialTiming { get; set; } = AchillesHeelTiming.AgentDefaults;

    /// <summary><see cref="GlobalCacheAgent.StartAsync"/> waits this long for every instance to log in.</summary>
    public int StartTimeoutMs { get; set; } = 30_000;

    /// <summary>
    /// Stops the process when this server can no longer guarantee it gave its keys up in time (a local release
    /// that outlived ServerReleaseTimeout, or a failure of the daemon). Arguments: exit code (123123 release
    /// timeout, 321321 daemon failure) and reason. Null: log and <see cref="Environment.FailFast(string)"/>, which
    /// runs no shutdown handler that could hang. Tests plug in an observer.
    /// </summary>
    public Action<int, string>? Halt { get; set; }

    /// <summary>Network settings of the agent's connections (buffers, limits).</summary>
    public ServiceOptions? Network { get; set; }

    /// <summary>Every problem, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ServerId < 0) errors.Add($"ServerId must be >= 0 (got {ServerId}).");
        if (StartTimeoutMs <= 0) errors.Add($"StartTimeoutMs must be > 0 (got {StartTimeoutMs}).");
        if (InitialTiming == null) errors.Add("InitialTiming must be set.");
        else errors.AddRange(InitialTiming.Validate());
        try
        {
            if (ParseManagers(Managers).Count == 0) errors.Add("Managers must list at least one GCM as host:port.");
        }
        catch (FormatException e)
        {
            errors.Add(e.Message);
        }
        if (Network != null) errors.AddRange(Network.Validate());
        return errors;
    }

    /// <summary>Parses "host:port;host:port".</summary>
    public static IReadOnlyList<(string Host, int Port)> ParseManagers(string managers)
    {
        var list = new List<(string, int)>();
        foreach (var part in (managers ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0 || colon == part.Length - 1)
                throw new FormatException($"Managers: '{part}' is not host:port.");
            string host = part[..colon].Trim('[', ']');
            if (!int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is <= 0 or > 65535)
                throw new FormatException($"Managers: '{part}' has no valid port (1..65535).");
            list.Add((host, port));
        }
        return list;
    }
}
