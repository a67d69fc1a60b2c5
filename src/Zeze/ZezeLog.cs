using Microsoft.Extensions.Logging;

namespace Zeze;

/// <summary>The application's log messages (generated, allocation-free when disabled).</summary>
internal sealed partial class ZezeLog
{
    private readonly ILogger _logger;

    public ZezeLog(ILogger logger) => _logger = logger;

    public ILogger Logger => _logger;

    [LoggerMessage(1, LogLevel.Warning, "procedure '{Name}' threw; it was rolled back")]
    public partial void ProcedureException(string name, Exception error);

    // Debug for an application's own code (a business outcome such as "insufficient funds", which may be
    // frequent), Information for a framework code.
    [LoggerMessage(EventId = 2, Message = "procedure '{Name}' returned {Code} ({Meaning}); it was rolled back")]
    public partial void ProcedureReturned(LogLevel level, string name, long code, string meaning);

    [LoggerMessage(3, LogLevel.Error, "procedure '{Name}' gave up after {Attempts} attempts (TooManyTry)")]
    public partial void TooManyTry(string name, int attempts);

    [LoggerMessage(4, LogLevel.Error, "procedure '{Name}' failed inside the framework")]
    public partial void ProcedureFrameworkError(string name, Exception error);

    [LoggerMessage(5, LogLevel.Error, "an action of procedure '{Name}' threw (ignored)")]
    public partial void ActionException(string name, Exception error);

    [LoggerMessage(6, LogLevel.Error, "log {Log} changes record {Record}, which the transaction did not access (ignored)")]
    public partial void LogWithoutAccess(string record, string log);

    [LoggerMessage(7, LogLevel.Error, "a change listener of table {Table} threw (ignored)")]
    public partial void ListenerException(string table, Exception error);

    [LoggerMessage(8, LogLevel.Information, "application '{Name}' started: {Tables} tables, {Databases} databases")]
    public partial void Started(string name, int tables, int databases);

    [LoggerMessage(9, LogLevel.Information, "application '{Name}' stopped")]
    public partial void Stopped(string name);

    [LoggerMessage(11, LogLevel.Information, "application '{Name}': no database configured; using the embedded RocksDB in {Path}")]
    public partial void DefaultDatabase(string name, string path);

    [LoggerMessage(10, LogLevel.Warning, "application '{Name}': {Count} procedures still running after {Timeout}; stopping anyway")]
    public partial void StopTimedOut(string name, long count, TimeSpan timeout);
}
