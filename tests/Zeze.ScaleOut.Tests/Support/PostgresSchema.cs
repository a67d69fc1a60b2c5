using Zeze.TestSupport;

namespace Zeze.ScaleOut.Tests;

/// <summary>A fresh schema on the local test PostgreSQL (scripts/postgres.sh), dropped at the end of the test.</summary>
public sealed class PostgresSchema : IAsyncDisposable
{
    private readonly string _connectionString;

    private PostgresSchema(string connectionString) => _connectionString = connectionString;

    /// <summary>The database as Zeze configuration spells it: "postgres:CONNECTION-STRING".</summary>
    public string Spec => "postgres:" + _connectionString;

    public string ConnectionString => _connectionString;

    public static async Task<PostgresSchema> CreateAsync() => new(await PostgresScratch.CreateSchemaAsync());

    public async ValueTask DisposeAsync() => await PostgresScratch.DropSchemaAsync(_connectionString);
}
