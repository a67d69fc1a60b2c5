using MySqlConnector;

namespace Zeze.TestSupport;

/// <summary>A fresh MariaDB database per test, so tests share the server but never each other's tables or marks.</summary>
public static class MariaDbScratch
{
    /// <summary>Creates a database on <paramref name="server"/> (default: the shared test server); returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(string? server = null)
    {
        server ??= await TestServers.MariaDbAsync();
        string name = "zt_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE DATABASE `{name}`");
        return WithDatabase(server, name);
    }

    /// <summary><paramref name="connectionString"/> pointed at another database (for example one node of a cluster at a scratch database).</summary>
    public static string WithDatabase(string connectionString, string database) =>
        new MySqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    /// <summary>Drops the database of a connection string from <see cref="CreateDatabaseAsync"/>.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        string name = builder.Database;
        builder.Database = "";
        await ExecuteAsync(builder.ConnectionString, $"DROP DATABASE IF EXISTS `{name}`");
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        // Unpooled: a pooled connection may be a dead one when a test has killed a server meanwhile.
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
