using Microsoft.Extensions.Options;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;
using Zeze.Storage.SqlServer;

namespace Zeze.Storage.Tests;

/// <summary>The runner's --db syntax, option checks and the provider registry.</summary>
public sealed class DatabaseOptionsTests
{
    [Theory]
    [InlineData("memory", DatabaseKind.Memory, null)]
    [InlineData("memory:bench", DatabaseKind.Memory, "bench")]
    [InlineData("rocksdb:/var/lib/zeze/db", DatabaseKind.RocksDb, "/var/lib/zeze/db")]
    [InlineData("mysql:Server=127.0.0.1;Port=3306;Database=zeze", DatabaseKind.MySql, "Server=127.0.0.1;Port=3306;Database=zeze")]
    [InlineData("mariadb:Server=h;Database=d", DatabaseKind.MySql, "Server=h;Database=d")]
    [InlineData("postgres:Host=127.0.0.1;Username=zeze", DatabaseKind.Postgres, "Host=127.0.0.1;Username=zeze")]
    [InlineData("sqlserver:Server=tcp:db,1433;Database=zeze", DatabaseKind.SqlServer, "Server=tcp:db,1433;Database=zeze")]
    [InlineData("RocksDB:relative/dir", DatabaseKind.RocksDb, "relative/dir")]
    public void ParsesTheRunnersDbArgument(string db, DatabaseKind kind, string? connectionString)
    {
        var options = DatabaseOptions.Parse(db, "main");
        Assert.Equal(kind, options.Kind);
        Assert.Equal(connectionString, options.ConnectionString);
        Assert.Equal("main", options.Name);
        Assert.False(options.DeleteOnDispose);
        options.Validate();
    }

    [Fact]
    public void BareRocksDbIsAFreshTemporaryDirectory()
    {
        var a = DatabaseOptions.Parse("rocksdb");
        var b = DatabaseOptions.Parse("rocksdb");
        Assert.Equal(DatabaseKind.RocksDb, a.Kind);
        Assert.True(a.DeleteOnDispose);
        Assert.StartsWith(Path.GetTempPath(), a.ConnectionString, StringComparison.Ordinal);
        Assert.NotEqual(a.ConnectionString, b.ConnectionString);
    }

    [Theory]
    [InlineData("oracle:x", "unknown kind 'oracle'")]
    [InlineData("postgres", "needs a connection string")]
    [InlineData("mysql:", "nothing after ':'")]
    [InlineData("", "unknown kind ''")]
    public void RefusesWhatItCannotRead(string db, string message)
    {
        var error = Assert.Throws<FormatException>(() => DatabaseOptions.Parse(db));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("rocksdb:PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationNamesEveryProblem()
    {
        var options = new DatabaseOptions
        {
            Name = "orders",
            Kind = DatabaseKind.Postgres,
            MaxPoolSize = 0,
            CommandTimeout = TimeSpan.Zero,
            DeleteOnDispose = true,
        };
        var error = Assert.Throws<OptionsValidationException>(() => options.Validate());
        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("Database 'orders': Kind Postgres needs ConnectionString", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxPoolSize 0", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("CommandTimeout", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("DeleteOnDispose", StringComparison.Ordinal));

        var rocks = Assert.Throws<OptionsValidationException>(() => new DatabaseOptions { Kind = DatabaseKind.RocksDb }.Validate());
        Assert.Contains("the database directory", rocks.Message, StringComparison.Ordinal);
        new DatabaseOptions { Kind = DatabaseKind.Memory }.Validate();
    }

    [Fact]
    public async Task TheFactorySaysWhichPackageAMissingProviderIsIn()
    {
        var factory = new DatabaseFactory();
        Assert.True(factory.Supports(DatabaseKind.RocksDb));
        Assert.False(factory.Supports(DatabaseKind.MySql));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await factory.OpenAsync("mysql:Server=h;Database=d"));
        Assert.Contains("Zeze.Storage.MySql", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddMySql()", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<OptionsValidationException>(async () => await factory.OpenAsync(new DatabaseOptions { Kind = DatabaseKind.RocksDb }));
    }

    [Theory]
    [InlineData("mysql:Server=h;Database=d;NoSuchOption=1")]
    [InlineData("postgres:Host=h;NoSuchOption=1")]
    [InlineData("sqlserver:Server=h;NoSuchOption=1")]
    public async Task AConnectionStringTheDriverCannotReadIsRefused(string db)
    {
        var factory = new DatabaseFactory().AddMySql().AddPostgres().AddSqlServer();
        var error = await Assert.ThrowsAsync<DatabaseException>(async () => await factory.OpenAsync(db, "orders"));
        Assert.Equal(DatabaseErrorKind.Refused, error.Kind);
        Assert.Contains("database 'orders': the", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection string is not valid", error.Message, StringComparison.Ordinal);
    }
}
