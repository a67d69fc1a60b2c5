namespace Zeze.TestSupport;

/// <summary>
/// A PostgreSQL of its own (scripts/postgres.sh with ZEZE_TEST_SERVERS_DIR=.../outage and port 15433) for tests that
/// stop the server: the shared test server stays up for the tests running alongside. Hold <see cref="LockAsync"/>
/// while using it.
/// </summary>
public static class OutagePostgres
{
    public const int Port = 15433;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static string Dir => Path.Combine(TestServers.Directory, "outage");

    private static Dictionary<string, string> Environment => new()
    {
        ["ZEZE_TEST_SERVERS_DIR"] = Dir,
        ["ZEZE_TEST_POSTGRES_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static Task<IDisposable> LockAsync() => MachineLock.AcquireAsync("outage-postgres", TimeSpan.FromMinutes(10));

    /// <summary>Starts the server (idempotent) and returns its connection string.</summary>
    public static async Task<string> StartAsync()
    {
        await ScriptRunner.RunAsync("postgres.sh", ["start"], Timeout, Environment);
        return TestServers.ReadEnvFile(Path.Combine(Dir, "servers.env"), "ZEZE_TEST_POSTGRES")
            ?? throw new InvalidOperationException($"scripts/postgres.sh start did not write {Dir}/servers.env");
    }

    /// <summary>A fast shutdown: connected clients are disconnected.</summary>
    public static Task StopAsync() => ScriptRunner.RunAsync("postgres.sh", ["stop"], Timeout, Environment);
}
