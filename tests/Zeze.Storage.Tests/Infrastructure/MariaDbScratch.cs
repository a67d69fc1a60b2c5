using MySqlConnector;

namespace Zeze.Storage.Tests.Infrastructure;

/// <summary>A fresh MariaDB database per test, so tests share the server but never each other's tables or marks.</summary>
internal static class MariaDbScratch
{
    public static async Task<string> CreateDatabaseAsync()
    {
        string server = await TestServers.MariaDbAsync();
        string name = "zt_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE DATABASE `{name}`");
        return new MySqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        string name = new MySqlConnectionStringBuilder(connectionString).Database;
        await ExecuteAsync(await TestServers.MariaDbAsync(), $"DROP DATABASE IF EXISTS `{name}`");
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
