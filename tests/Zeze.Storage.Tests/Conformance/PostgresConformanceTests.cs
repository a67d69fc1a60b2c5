using Zeze.Storage.Postgres;
using Zeze.TestSupport;

namespace Zeze.Storage.Tests.Conformance;

/// <summary>PostgreSQL on the local test server (scripts/postgres.sh), a fresh schema per test.</summary>
public sealed class PostgresConformanceTests : DatabaseConformanceTests
{
    private string? _connectionString;

    protected override async Task CreateAsync() => _connectionString = await PostgresScratch.CreateSchemaAsync();

    protected override async Task DeleteAsync()
    {
        if (_connectionString is not null)
            await PostgresScratch.DropSchemaAsync(_connectionString);
    }

    protected override async Task<IDatabase> OpenDatabaseAsync() =>
        await new DatabaseFactory().AddPostgres().OpenAsync(new DatabaseOptions { Name = "postgres", Kind = DatabaseKind.Postgres, ConnectionString = _connectionString }, Ct);
}
