using Npgsql;
using Zeze.Storage.Postgres;
using Zeze.TestSupport;

namespace Zeze.Storage.Tests;

/// <summary>What a PostgreSQL server's refusals and absence look like to the caller.</summary>
public sealed class PostgresErrorTests
{
    private static async Task<DatabaseException> OpenFailsAsync(string connectionString)
    {
        var options = new DatabaseOptions { Name = "orders", Kind = DatabaseKind.Postgres, ConnectionString = connectionString, ConnectTimeout = TimeSpan.FromSeconds(5) };
        return await Assert.ThrowsAsync<DatabaseException>(async () => await new DatabaseFactory().AddPostgres().OpenAsync(options));
    }

    private static async Task<string> ServerAsync(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = new NpgsqlConnectionStringBuilder(await TestServers.PostgresAsync());
        change(builder);
        return builder.ConnectionString;
    }

    [Fact]
    public async Task BadCredentialsAreRefusedAtOpen()
    {
        var error = await OpenFailsAsync(await ServerAsync(b => b.Password = "wrong"));
        Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
        Assert.Contains("database 'orders'", error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownDatabaseIsRefusedAtOpen()
    {
        var error = await OpenFailsAsync(await ServerAsync(b => b.Database = "no_such_database"));
        Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
        Assert.Contains("no_such_database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPermissionIsRefusedAtOpen()
    {
        string scratch = await PostgresScratch.CreateSchemaAsync();
        string role = "zt_ro_" + Guid.NewGuid().ToString("N")[..8];
        string admin = await TestServers.PostgresAsync();
        // The role may use the scratch schema but not create tables in it.
        await PostgresScratch.ExecuteAsync(admin, $"CREATE ROLE {role} LOGIN PASSWORD 'ro'; GRANT USAGE ON SCHEMA \"{new NpgsqlConnectionStringBuilder(scratch).SearchPath}\" TO {role}");
        try
        {
            var error = await OpenFailsAsync(new NpgsqlConnectionStringBuilder(scratch) { Username = role, Password = "ro" }.ConnectionString);
            Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
            Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresScratch.DropSchemaAsync(scratch);
            await PostgresScratch.ExecuteAsync(admin, $"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task AnUnreachableServerIsTransient()
    {
        var error = await OpenFailsAsync("Host=127.0.0.1;Port=1;Username=zeze;Password=zeze;Database=zeze");
        Assert.True(error.IsTransient, error.Message);
    }

    [Fact]
    public async Task TheDescriptionNamesTheServerButNotThePassword()
    {
        string scratch = await PostgresScratch.CreateSchemaAsync();
        try
        {
            await using var db = await new DatabaseFactory().AddPostgres().OpenAsync(new DatabaseOptions { Kind = DatabaseKind.Postgres, ConnectionString = scratch });
            Assert.Contains("zeze@127.0.0.1:", db.Description, StringComparison.Ordinal);
            Assert.DoesNotContain("Password", db.Description, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(2692, db.MaxKeyLength);
        }
        finally
        {
            await PostgresScratch.DropSchemaAsync(scratch);
        }
    }
}
