using Npgsql;

namespace Zeze.TestSupport;

/// <summary>A fresh PostgreSQL schema per test (the search path of the connection string), cheaper than a database.</summary>
public static class PostgresScratch
{
    /// <summary>Creates a schema on <paramref name="server"/> (default: the shared test server); returns a connection string to it.</summary>
    public static async Task<string> CreateSchemaAsync(string? server = null)
    {
        server ??= await TestServers.PostgresAsync();
        string name = "zt_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE SCHEMA \"{name}\"");
        return new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;
    }

    /// <summary>Drops the schema of a connection string from <see cref="CreateSchemaAsync"/>.</summary>
    public static async Task DropSchemaAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        string name = builder.SearchPath!;
        builder.SearchPath = null;
        await ExecuteAsync(builder.ConnectionString, $"DROP SCHEMA IF EXISTS \"{name}\" CASCADE");
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        // Unpooled: a pooled connection may be a dead one when a test has stopped the server meanwhile.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
