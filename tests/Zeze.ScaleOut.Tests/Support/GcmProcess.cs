using System.Globalization;
using Zeze.Services.GlobalCache;

namespace Zeze.ScaleOut.Tests;

/// <summary>A GCM run as a child process (<c>zeze gcm</c>) with the test timing profile, so that tests can SIGKILL it.</summary>
public sealed class GcmProcess : IAsyncDisposable
{
    public static AchillesHeelTiming Timing => AchillesHeelTiming.TestProfile;

    private ChildProcess _child;

    public int Port { get; }

    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    private GcmProcess(ChildProcess child, int port)
    {
        _child = child;
        Port = port;
    }

    /// <summary>Starts an instance; <paramref name="port"/> 0 takes a free one. Quarantine 0 unless given (a cluster's first start).</summary>
    public static async Task<GcmProcess> StartAsync(int port = 0, int index = 0, int quarantineMs = 0)
    {
        var (child, actual) = await LaunchAsync(port, index, quarantineMs);
        return new GcmProcess(child, actual);
    }

    private static async Task<(ChildProcess, int)> LaunchAsync(int port, int index, int quarantineMs)
    {
        var t = Timing;
        var child = ChildProcess.Start("gcm-" + index.ToString(CultureInfo.InvariantCulture), Programs.Gcm, "gcm",
            "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--index", index.ToString(CultureInfo.InvariantCulture),
            "--max-net-ping", I(t.MaxNetPing), "--server-process-time", I(t.ServerProcessTime),
            "--server-release-timeout", I(t.ServerReleaseTimeout), "--reconnect-timer", I(t.ReconnectTimer),
            "--daemon-slack", I(t.DaemonSlack), "--quarantine", I(quarantineMs));
        // "zeze gcm: listening on 127.0.0.1:PORT; Ctrl+C to stop"
        string line = await child.ExpectAsync(TimeSpan.FromSeconds(60), "zeze gcm: listening on ");
        string endPoint = line["zeze gcm: listening on ".Length..line.IndexOf(';')];
        return (child, int.Parse(endPoint[(endPoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILL: the GCM forgets every session and key.</summary>
    public Task KillAsync() => _child.KillAsync();

    /// <summary>Starts it again on the same port, with the start-up quarantine of a restart (GlobalDaemonTimeout by default).</summary>
    public async Task RestartAsync(int index = 0, int? quarantineMs = null)
    {
        await _child.DisposeAsync();
        (_child, _) = await LaunchAsync(Port, index, quarantineMs ?? Timing.GlobalDaemonTimeout);
    }

    public string Stderr => _child.Stderr;

    public ValueTask DisposeAsync() => _child.DisposeAsync();

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
