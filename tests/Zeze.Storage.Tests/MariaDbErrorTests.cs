using MySqlConnector;
using Zeze.Storage.MySql;
using Zeze.TestSupport;

namespace Zeze.Storage.Tests;

/// <summary>What a MariaDB server's refusals and absence look like to the caller.</summary>
public sealed class MariaDbErrorTests
{
    private static async Task<DatabaseException> OpenFailsAsync(string connectionString)
    {
        var options = new DatabaseOptions { Name = "orders", Kind = DatabaseKind.MySql, ConnectionString = connectionString, ConnectTimeout = TimeSpan.FromSeconds(5) };
        return await Assert.ThrowsAsync<DatabaseException>(async () => await new DatabaseFactory().AddMySql().OpenAsync(options));
    }

    private static async Task<string> ServerAsync(Action<MySqlConnectionStringBuilder> change)
    {
        var builder = new MySqlConnectionStringBuilder(await TestServers.MariaDbAsync());
        change(builder);
        return builder.ConnectionString;
    }

    [Fact]
    public async Task BadCredentialsAreRefusedAtOpen()
    {
        var error = await OpenFailsAsync(await ServerAsync(b => b.Password = "wrong"));
        Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
        Assert.Contains("database 'orders'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Access denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownDatabaseIsRefusedAtOpen()
    {
        var error = await OpenFailsAsync(await ServerAsync(b => b.Database = "no_such_database"));
        Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
        Assert.Contains("no_such_database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionStringWithoutDatabaseIsRefused()
    {
        var error = await OpenFailsAsync(await ServerAsync(b => b.Database = ""));
        Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
        Assert.Contains("Database=NAME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPermissionIsRefusedAtOpen()
    {
        string scratch = await MariaDbScratch.CreateDatabaseAsync();
        string database = new MySqlConnectionStringBuilder(scratch).Database;
        string user = "zt_ro_" + Guid.NewGuid().ToString("N")[..8];
        string admin = await TestServers.MariaDbAsync();
        await MariaDbScratch.ExecuteAsync(admin, $"CREATE USER '{user}'@'%' IDENTIFIED BY 'ro'; GRANT SELECT ON `{database}`.* TO '{user}'@'%'");
        try
        {
            var error = await OpenFailsAsync(new MySqlConnectionStringBuilder(scratch) { UserID = user, Password = "ro" }.ConnectionString);
            Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
            Assert.Contains("denied", error.Message, StringComparison.Ordinal);
            Assert.Contains("permissions", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await MariaDbScratch.ExecuteAsync(admin, $"DROP USER '{user}'@'%'");
            await MariaDbScratch.DropDatabaseAsync(scratch);
        }
    }

    [Fact]
    public async Task AnUnreachableServerIsTransient()
    {
        var error = await OpenFailsAsync("Server=127.0.0.1;Port=1;User ID=zeze;Password=zeze;Database=zeze");
        Assert.True(error.IsTransient, error.Message);
        Assert.Contains("retry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDescriptionNamesTheServerButNotThePassword()
    {
        string scratch = await MariaDbScratch.CreateDatabaseAsync();
        try
        {
            await using var db = await new DatabaseFactory().AddMySql().OpenAsync(new DatabaseOptions { Kind = DatabaseKind.MySql, ConnectionString = scratch });
            Assert.Contains("zeze@127.0.0.1", db.Description, StringComparison.Ordinal);
            Assert.DoesNotContain("Password", db.Description, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(3070, db.MaxKeyLength);
        }
        finally
        {
            await MariaDbScratch.DropDatabaseAsync(scratch);
        }
    }
}
