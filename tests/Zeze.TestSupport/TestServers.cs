using MySqlConnector;
using Npgsql;

namespace Zeze.TestSupport;

/// <summary>
/// Finds the local test servers: the connection string in ZEZE_TEST_MARIADB / ZEZE_TEST_POSTGRES (used as given),
/// else the one the scripts wrote to $ZEZE_TEST_SERVERS_DIR/servers.env when that server answers, else starts the
/// server through scripts/*.sh. A server that cannot be had fails the tests that need it; nothing is skipped.
/// </summary>
public static class TestServers
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static readonly Lazy<Task<string>> MariaDbServer = new(() => FindAsync("ZEZE_TEST_MARIADB", "mariadb.sh", CanConnectMariaDbAsync));
    private static readonly Lazy<Task<string>> PostgresServer = new(() => FindAsync("ZEZE_TEST_POSTGRES", "postgres.sh", CanConnectPostgresAsync));

    public static Task<string> MariaDbAsync() => MariaDbServer.Value;

    public static Task<string> PostgresAsync() => PostgresServer.Value;

    /// <summary>Where the scripts keep the servers' data and <c>servers.env</c>.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("ZEZE_TEST_SERVERS_DIR") is { Length: > 0 } dir ? dir : "/tmp/zeze-test-servers";

    public static string EnvFile => Path.Combine(Directory, "servers.env");

    private static async Task<string> FindAsync(string variable, string script, Func<string, Task<bool>> canConnect)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given)
            return given;
        if (ReadEnvFile(EnvFile, variable) is { } written && await canConnect(written))
            return written;
        // Test projects run in parallel processes: one starts the server, the others wait and then find it running.
        using (await MachineLock.AcquireAsync("start-" + script, StartTimeout))
        {
            if (ReadEnvFile(EnvFile, variable) is { } started && await canConnect(started))
                return started;
            await ScriptRunner.RunAsync(script, "start", StartTimeout);
        }
        return ReadEnvFile(EnvFile, variable) ?? throw new InvalidOperationException($"scripts/{script} start did not write {variable} to {EnvFile}");
    }

    /// <summary>The value of <c>KEY='value'</c> in an env file the scripts wrote, or null.</summary>
    public static string? ReadEnvFile(string file, string variable)
    {
        if (!File.Exists(file))
            return null;
        foreach (string line in File.ReadAllLines(file))
        {
            if (line.StartsWith(variable + "=", StringComparison.Ordinal))
                return line[(variable.Length + 1)..].Trim('\'');
        }
        return null;
    }

    public static async Task<bool> CanConnectMariaDbAsync(string connectionString)
    {
        try
        {
            await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { ConnectionTimeout = 5, Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            return true;
        }
        catch (Exception e) when (e is MySqlException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public static async Task<bool> CanConnectPostgresAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5, Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
