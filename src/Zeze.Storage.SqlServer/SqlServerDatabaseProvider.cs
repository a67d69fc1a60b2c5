using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging;
using Zeze.Storage.Sql;

namespace Zeze.Storage.SqlServer;

/// <summary>Opens <see cref="DatabaseKind.SqlServer"/> databases with Microsoft.Data.SqlClient's pool.</summary>
public sealed class SqlServerDatabaseProvider : IDatabaseProvider
{
    public DatabaseKind Kind => DatabaseKind.SqlServer;

    public async ValueTask<IDatabase> OpenAsync(DatabaseOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        SqlConnectionStringBuilder settings;
        try
        {
            settings = new SqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw SqlDatabase.InvalidConnectionString(options, "SQL Server", e);
        }
        string description = $"SQL Server {settings.UserID}@{settings.DataSource}/{settings.InitialCatalog}";
        if (options.MaxPoolSize is { } pool)
            settings.MaxPoolSize = pool;
        if (options.ConnectTimeout is { } connect)
            settings.ConnectTimeout = (int)Math.Ceiling(connect.TotalSeconds);
        return await SqlDatabase.OpenAsync(options, DatabaseKind.SqlServer, new SqlServerDataSource(settings.ConnectionString), SqlServerDialect.Instance,
            description, loggerFactory.CreateLogger<SqlServerDatabaseProvider>(), cancellationToken).ConfigureAwait(false);
    }
}
