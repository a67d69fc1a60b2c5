using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Zeze.ScaleOut.Tests;

/// <summary>Logs of the servers into the test's output (shown when a test fails), with milliseconds since the start.</summary>
public sealed class TestOutputLogger(ITestOutputHelper output, LogLevel minimum = LogLevel.Information) : ILoggerFactory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ITestOutputHelper _output = output;
    private readonly LogLevel _minimum = minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(TestOutputLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            try
            {
                owner._output.WriteLine($"{owner._clock.ElapsedMilliseconds,7} {logLevel,-11} {category}: {formatter(state, exception)}{(exception == null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // the test is over
            }
        }
    }
}
