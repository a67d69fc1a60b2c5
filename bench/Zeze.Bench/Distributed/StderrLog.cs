using Microsoft.Extensions.Logging;

namespace Zeze.Bench.Distributed;

/// <summary>
/// Warnings and errors of the framework to stderr, one line each. In a server process stdout carries the answers to
/// the runner, and stderr is what the runner prints when a server fails; a benchmark needs nothing below a warning.
/// </summary>
internal sealed class StderrLog(string source) : ILoggerFactory, ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(source, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
        // only this one
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string source, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string line = $"{DateTime.UtcNow:HH:mm:ss.fff} {source} {logLevel} {category}: {formatter(state, exception)}";
            if (exception != null) line += " | " + exception.ToString().ReplaceLineEndings(" | ");
            Console.Error.WriteLine(line);
        }
    }
}
