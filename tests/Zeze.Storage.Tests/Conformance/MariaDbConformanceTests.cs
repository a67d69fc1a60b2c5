using Zeze.Storage.MySql;
using Zeze.TestSupport;

namespace Zeze.Storage.Tests.Conformance;

/// <summary>MariaDB through the MySQL provider, on the local test server (scripts/mariadb.sh), a fresh database per test.</summary>
public sealed class MariaDbConformanceTests : DatabaseConformanceTests
{
    private string? _connectionString;

    protected override async Task CreateAsync() => _connectionString = await MariaDbScratch.CreateDatabaseAsync();

    protected override async Task DeleteAsync()
    {
        if (_connectionString is not null)
            await MariaDbScratch.DropDatabaseAsync(_connectionString);
    }

    protected override async Task<IDatabase> OpenDatabaseAsync() =>
        await new DatabaseFactory().AddMySql().OpenAsync(new DatabaseOptions { Name = "mariadb", Kind = DatabaseKind.MySql, ConnectionString = _connectionString }, Ct);
}
