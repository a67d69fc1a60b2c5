using Microsoft.Extensions.Logging;

namespace Zeze.Services.GlobalCache;

/// <summary>The agent's log messages.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(101, LogLevel.Information, "server {ServerId}: logged in to GCM {Index} ({EndPoint}); {Timing}")]
    public static partial void LoggedIn(ILogger logger, int serverId, int index, string endPoint, string timing);

    [LoggerMessage(102, LogLevel.Information, "server {ServerId}: logged in again to GCM {Index} ({EndPoint}), locks kept")]
    public static partial void ReLoggedIn(ILogger logger, int serverId, int index, string endPoint);

    [LoggerMessage(103, LogLevel.Error, "server {ServerId}: login to GCM {Index} ({EndPoint}) refused: {Code}")]
    public static partial void LoginRefused(ILogger logger, int serverId, int index, string endPoint, string code);

    [LoggerMessage(104, LogLevel.Warning, "server {ServerId}: re-login to GCM {Index} ({EndPoint}) refused ({Code}): the GCM lost this session; releasing locally, then logging in")]
    public static partial void ReLoginRefused(ILogger logger, int serverId, int index, string endPoint, string code);

    [LoggerMessage(105, LogLevel.Debug, "server {ServerId}: cannot reach GCM {Index} ({EndPoint}): {Reason}")]
    public static partial void ConnectFailed(ILogger logger, int serverId, int index, string endPoint, string reason);

    [LoggerMessage(106, LogLevel.Warning, "server {ServerId}: local release of GCM {Index} started: {Reason}")]
    public static partial void LocalReleaseStarted(ILogger logger, int serverId, int index, string reason);

    [LoggerMessage(107, LogLevel.Information, "server {ServerId}: local release of GCM {Index} done in {Ms} ms")]
    public static partial void LocalReleaseDone(ILogger logger, int serverId, int index, long ms);

    [LoggerMessage(108, LogLevel.Error, "server {ServerId}: local release of GCM {Index} failed; retrying")]
    public static partial void LocalReleaseFailed(ILogger logger, int serverId, int index, Exception error);

    [LoggerMessage(109, LogLevel.Critical, "server {ServerId}: halting the process (code {Code}): {Reason}")]
    public static partial void Halting(ILogger logger, int serverId, int code, string reason);

    [LoggerMessage(110, LogLevel.Error, "server {ServerId}: the reduce handler threw for {Key}; answering ReduceException")]
    public static partial void ReduceHandlerFailed(ILogger logger, int serverId, string key, Exception error);

    [LoggerMessage(111, LogLevel.Warning, "server {ServerId}: GCM {Index} connection closed: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, int serverId, int index, string reason);

    [LoggerMessage(112, LogLevel.Information, "server {ServerId}: normal close of GCM {Index}: {Code}")]
    public static partial void NormalClosed(ILogger logger, int serverId, int index, string code);

    [LoggerMessage(113, LogLevel.Error, "server {ServerId}: GCM {Index} sent an invalid timing: {Errors}")]
    public static partial void BadTiming(ILogger logger, int serverId, int index, string errors);
}
