#if SQLSERVER_TESTS
using Microsoft.Data.SqlClient;
using Zeze.Storage.SqlServer;

namespace Zeze.Storage.Tests.Conformance;

/// <summary>
/// SQL Server, compiled only when ZEZE_TEST_SQLSERVER holds a connection string (no local server is started for it).
/// Each test creates and drops its own database, so the login needs CREATE DATABASE.
/// </summary>
public sealed class SqlServerConformanceTests : DatabaseConformanceTests
{
    private static readonly string Server = Environment.GetEnvironmentVariable("ZEZE_TEST_SQLSERVER")
        ?? throw new InvalidOperationException("ZEZE_TEST_SQLSERVER is not set, yet the SQL Server tests were compiled in.");

    private readonly string _database = "zt_" + Guid.NewGuid().ToString("N")[..16];

    private string ConnectionString => new SqlConnectionStringBuilder(Server) { InitialCatalog = _database }.ConnectionString;

    protected override Task CreateAsync() => ExecuteAsync($"CREATE DATABASE [{_database}]");

    protected override async Task DeleteAsync()
    {
        SqlConnection.ClearAllPools();
        await ExecuteAsync($"IF DB_ID(N'{_database}') IS NOT NULL BEGIN ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}]; END");
    }

    protected override async Task<IDatabase> OpenDatabaseAsync() =>
        await new DatabaseFactory().AddSqlServer().OpenAsync(new DatabaseOptions { Name = "sqlserver", Kind = DatabaseKind.SqlServer, ConnectionString = ConnectionString }, Ct);

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
#endif
