using Microsoft.Extensions.Logging;

namespace Zeze.Net;

/// <summary>The log events of the network layer (generated, so a disabled level costs one check).</summary>
internal static partial class NetLog
{
    [LoggerMessage(1, LogLevel.Debug, "{Service}: socket {SessionId} ({Remote}) closed: {Reason}")]
    public static partial void SocketClosed(ILogger logger, string service, long sessionId, string? remote, string reason);

    [LoggerMessage(2, LogLevel.Warning, "{Service}: socket {SessionId} ({Remote}) closed: {Reason}")]
    public static partial void SocketClosedOnError(ILogger logger, string service, long sessionId, string? remote, string reason, Exception? exception);

    [LoggerMessage(3, LogLevel.Information, "{Service}: listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, string service, string endPoint);

    [LoggerMessage(4, LogLevel.Warning, "{Service}: accept on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, string service, string endPoint, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "{Service}: connect to {Target} failed, next try in {DelayMs} ms: {Error}")]
    public static partial void ConnectFailed(ILogger logger, string service, string target, int delayMs, string error);

    [LoggerMessage(6, LogLevel.Information, "{Service}: late or unknown rpc response {Protocol} session {SessionId} from {Remote} dropped (timed out or never sent)")]
    public static partial void LateResponse(ILogger logger, string service, string protocol, long sessionId, string? remote);

    [LoggerMessage(7, LogLevel.Error, "{Service}: handler of {Protocol} failed")]
    public static partial void HandlerFailed(ILogger logger, string service, string protocol, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "{Service}: handler of {Protocol} returned {ResultCode}")]
    public static partial void HandlerReturned(ILogger logger, string service, string protocol, long resultCode);

    [LoggerMessage(9, LogLevel.Warning, "{Service}: {Protocol} has no handler here; dropped")]
    public static partial void NoHandler(ILogger logger, string service, string protocol);

    [LoggerMessage(10, LogLevel.Warning, "{Service}: {Protocol} session {SessionId}: the response was already sent; second SendResult ignored")]
    public static partial void DuplicateResult(ILogger logger, string service, string protocol, long sessionId);

    [LoggerMessage(11, LogLevel.Error, "{Service}: response handler of {Protocol} session {SessionId} failed")]
    public static partial void ResponseHandlerFailed(ILogger logger, string service, string protocol, long sessionId, Exception exception);

    [LoggerMessage(12, LogLevel.Debug, "{Service}: connected to {Target} as socket {SessionId}")]
    public static partial void Connected(ILogger logger, string service, string target, long sessionId);

    [LoggerMessage(13, LogLevel.Debug, "{Service}: handshake done on socket {SessionId} ({Remote}): encrypt {EncryptType}, compress s2c {CompressS2c} c2s {CompressC2s}")]
    public static partial void HandshakeDone(ILogger logger, string service, long sessionId, string? remote, int encryptType, int compressS2c, int compressC2s);
}
