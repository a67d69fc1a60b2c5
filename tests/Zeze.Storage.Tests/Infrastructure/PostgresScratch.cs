using Npgsql;

namespace Zeze.Storage.Tests.Infrastructure;

/// <summary>A fresh PostgreSQL schema per test (the search path of the connection string), cheaper than a database.</summary>
internal static class PostgresScratch
{
    public static async Task<string> CreateSchemaAsync()
    {
        string server = await TestServers.PostgresAsync();
        string name = "zt_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE SCHEMA \"{name}\"");
        return new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;
    }

    public static async Task DropSchemaAsync(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).SearchPath!;
        await ExecuteAsync(await TestServers.PostgresAsync(), $"DROP SCHEMA IF EXISTS \"{name}\" CASCADE");
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
