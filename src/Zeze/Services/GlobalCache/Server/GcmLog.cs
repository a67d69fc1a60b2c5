using Microsoft.Extensions.Logging;

namespace Zeze.Services.GlobalCache;

/// <summary>The GCM's log messages.</summary>
internal static partial class GcmLog
{
    [LoggerMessage(1, LogLevel.Information, "GCM instance {Index} listening on {EndPoint}; {Timing}; quarantine {QuarantineMs} ms")]
    public static partial void Started(ILogger logger, int index, string endPoint, string timing, int quarantineMs);

    [LoggerMessage(2, LogLevel.Information, "GCM instance {Index} stopped")]
    public static partial void Stopped(ILogger logger, int index);

    [LoggerMessage(3, LogLevel.Information, "server {ServerId} logged in from {Remote} (debug {Debug}); released {Keys} keys it held before")]
    public static partial void LoggedIn(ILogger logger, int serverId, string? remote, bool debug, int keys);

    [LoggerMessage(4, LogLevel.Warning, "login of server {ServerId} from {Remote} refused: {Reason}")]
    public static partial void LoginRefused(ILogger logger, int serverId, string? remote, string reason);

    [LoggerMessage(5, LogLevel.Information, "server {ServerId} logged in again from {Remote}")]
    public static partial void ReLoggedIn(ILogger logger, int serverId, string? remote);

    [LoggerMessage(6, LogLevel.Warning, "re-login of server {ServerId} from {Remote} refused: {Reason}")]
    public static partial void ReLoginRefused(ILogger logger, int serverId, string? remote, string reason);

    [LoggerMessage(7, LogLevel.Information, "server {ServerId} closed normally; released {Keys} keys")]
    public static partial void NormalClosed(ILogger logger, int serverId, int keys);

    [LoggerMessage(8, LogLevel.Information, "server {ServerId} disconnected ({Reason}); its keys stay held")]
    public static partial void Disconnected(ILogger logger, int serverId, string reason);

    [LoggerMessage(9, LogLevel.Warning, "server {ServerId} inactive for {IdleMs} ms (> GlobalDaemonTimeout {TimeoutMs} ms): kicked, releasing {Keys} keys")]
    public static partial void Kicked(ILogger logger, int serverId, long idleMs, int timeoutMs, int keys);

    [LoggerMessage(10, LogLevel.Warning, "reduce of {Key} to server {ServerId} failed: {Reason}")]
    public static partial void ReduceFailed(ILogger logger, string key, int serverId, string reason);

    [LoggerMessage(11, LogLevel.Error, "acquire of {Key} by server {ServerId} failed inside the GCM")]
    public static partial void AcquireException(ILogger logger, string key, int serverId, Exception error);

    [LoggerMessage(12, LogLevel.Error, "GCM daemon failed")]
    public static partial void DaemonFailed(ILogger logger, Exception error);

    [LoggerMessage(13, LogLevel.Information, "GCM instance {Index}: start-up quarantine over")]
    public static partial void QuarantineOver(ILogger logger, int index);
}
