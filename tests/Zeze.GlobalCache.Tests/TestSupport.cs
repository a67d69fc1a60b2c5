using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Zeze.Services.GlobalCache;

namespace Zeze.GlobalCache.Tests;

public static class Keys
{
    /// <summary>A global key of table <paramref name="table"/> whose key bytes are <paramref name="id"/> (8 bytes LE).</summary>
    public static byte[] Of(long id, int table = 1)
    {
        var k = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(k, id);
        return GlobalKeyText.Make(table, k);
    }
}

/// <summary>Collects log lines so tests can look at them (and prints nothing).</summary>
public sealed class TestLog : ILoggerFactory, ILoggerProvider
{
    public readonly ConcurrentQueue<(LogLevel Level, string Message)> Entries = new();

    public bool Contains(string text) => Entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class Logger(TestLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}

/// <summary>Starts GCMs for tests: loopback, port 0, the small test timing profile, no quarantine unless asked.</summary>
public static class Gcm
{
    public static GlobalCacheManagerOptions Options(AchillesHeelTiming? timing = null, int? quarantineMs = 0, int index = 0, int port = 0)
    {
        var o = new GlobalCacheManagerOptions { Host = "127.0.0.1", Port = port, QuarantineMs = quarantineMs, InstanceIndex = index };
        return o.UseTiming(timing ?? AchillesHeelTiming.TestProfile);
    }

    public static async Task<GlobalCacheManagerServer> StartAsync(GlobalCacheManagerOptions? options = null, ILoggerFactory? log = null)
    {
        var gcm = new GlobalCacheManagerServer(options ?? Options(), log ?? new TestLog());
        await gcm.StartAsync();
        return gcm;
    }

    /// <summary>A profile with shorter daemon timeouts for tests that wait for the daemons (GlobalDaemonTimeout 1800 ms).</summary>
    public static AchillesHeelTiming ShortDaemons { get; } = new(maxNetPing: 100, serverProcessTime: 400, serverReleaseTimeout: 600, reconnectTimer: 100, daemonSlack: 200);
}
