using System.CommandLine;
using Microsoft.Extensions.Logging;
using Zeze.Services.GlobalCache;

namespace Zeze.Tool;

/// <summary><c>zeze gcm</c>: runs one Global Cache Manager instance until Ctrl+C or SIGTERM.</summary>
internal static class GcmCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Address to listen on (empty: every address).", DefaultValueFactory = _ => "" };
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on.", DefaultValueFactory = _ => GlobalCacheManagerOptions.DefaultPort };
        var index = new Option<int>("--index") { Description = "Index of this instance in the servers' GCM list (shown in the status)." };
        var maxNetPing = new Option<int>("--max-net-ping") { Description = "MaxNetPing, ms.", DefaultValueFactory = _ => AchillesHeelTiming.DefaultMaxNetPing };
        var processTime = new Option<int>("--server-process-time") { Description = "ServerProcessTime, ms.", DefaultValueFactory = _ => AchillesHeelTiming.DefaultServerProcessTime };
        var releaseTimeout = new Option<int>("--server-release-timeout") { Description = "ServerReleaseTimeout, ms.", DefaultValueFactory = _ => AchillesHeelTiming.DefaultServerReleaseTimeout };
        var reconnect = new Option<int>("--reconnect-timer") { Description = "ReconnectTimer, ms (keep 1000 outside tests).", DefaultValueFactory = _ => AchillesHeelTiming.DefaultReconnectTimer };
        var slack = new Option<int>("--daemon-slack") { Description = "Fixed margin of GlobalDaemonTimeout, ms (keep 1000 outside tests).", DefaultValueFactory = _ => AchillesHeelTiming.DefaultDaemonSlack };
        var quarantine = new Option<int?>("--quarantine") { Description = "Start-up quarantine, ms (default GlobalDaemonTimeout; 0 only for a cluster's first start)." };
        var hotKeys = new Option<int>("--hot-keys") { Description = "How many contended keys the status lists.", DefaultValueFactory = _ => 16 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log at Debug level." };

        var command = new Command("gcm", "Run a Global Cache Manager (keeps the caches of the servers sharing a database coherent).");
        foreach (var o in new Option[] { host, port, index, maxNetPing, processTime, releaseTimeout, reconnect, slack, quarantine, hotKeys, verbose })
            command.Options.Add(o);
        command.SetAction(async (ParseResult r, CancellationToken cancellationToken) =>
        {
            var options = new GlobalCacheManagerOptions
            {
                Host = r.GetValue(host) ?? "",
                Port = r.GetValue(port),
                InstanceIndex = r.GetValue(index),
                MaxNetPing = r.GetValue(maxNetPing),
                ServerProcessTime = r.GetValue(processTime),
                ServerReleaseTimeout = r.GetValue(releaseTimeout),
                ReconnectTimer = r.GetValue(reconnect),
                DaemonSlack = r.GetValue(slack),
                QuarantineMs = r.GetValue(quarantine),
                HotKeyCount = r.GetValue(hotKeys),
            };
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                await Console.Error.WriteLineAsync("zeze gcm: " + string.Join(Environment.NewLine + "zeze gcm: ", errors));
                return 2;
            }
            using var loggerFactory = ConsoleLogging.Create(r.GetValue(verbose));
            await using var gcm = new GlobalCacheManagerServer(options, loggerFactory);
            await gcm.StartAsync(cancellationToken);
            Console.WriteLine($"zeze gcm: listening on {gcm.LocalEndPoint}; Ctrl+C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            await gcm.StopAsync(CancellationToken.None);
            return 0;
        });
        command.Subcommands.Add(GcmStatusCommand.Create());
        command.Subcommands.Add(GcmBenchCommand.Create());
        return command;
    }
}

internal static class ConsoleLogging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(b => b
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        })
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information));
}
