using Microsoft.Extensions.Logging;

namespace Zeze.Storage;

/// <summary>The storage layer's log messages (generated, so a disabled level costs nothing).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Opened database '{Name}': {Description}")]
    public static partial void Opened(ILogger logger, string name, string description);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Database '{Name}': created table '{Table}'")]
    public static partial void TableCreated(ILogger logger, string name, string table);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Database '{Name}': a batch of {Count} writes failed ({Kind})")]
    public static partial void BatchFailed(ILogger logger, Exception exception, string name, int count, DatabaseErrorKind kind);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Closed database '{Name}'")]
    public static partial void Closed(ILogger logger, string name);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error,
        Message = "Database '{Name}': {Count} calls still running {Timeout} after close began; the engine is left open rather than freed under them")]
    public static partial void CloseTimedOut(ILogger logger, string name, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Database '{Name}': could not delete the temporary directory {Path}")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string name, string path);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Database '{Name}': rollback after a failed batch also failed")]
    public static partial void RollbackFailed(ILogger logger, Exception exception, string name);
}
