using Microsoft.Extensions.Logging;
using MySqlConnector;
using Zeze.Storage.Sql;

namespace Zeze.Storage.MySql;

/// <summary>Opens <see cref="DatabaseKind.MySql"/> databases (MySQL, MariaDB) with MySqlConnector's pooled data source.</summary>
public sealed class MySqlDatabaseProvider : IDatabaseProvider
{
    public DatabaseKind Kind => DatabaseKind.MySql;

    public async ValueTask<IDatabase> OpenAsync(DatabaseOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        MySqlDataSourceBuilder builder;
        try
        {
            builder = new MySqlDataSourceBuilder(options.ConnectionString!);
        }
        catch (ArgumentException e)
        {
            throw SqlDatabase.InvalidConnectionString(options, "MySQL", e);
        }
        var settings = builder.ConnectionStringBuilder;
        string description = $"MySQL {settings.UserID}@{settings.Server}:{settings.Port}/{settings.Database}";
        if (string.IsNullOrEmpty(settings.Database))
            throw new DatabaseException(DatabaseErrorKind.Refused, options.Name, null,
                $"database '{options.Name}' ({description}): the connection string names no database; add Database=NAME.");
        if (options.MaxPoolSize is { } pool)
            settings.MaximumPoolSize = (uint)pool;
        if (options.ConnectTimeout is { } connect)
            settings.ConnectionTimeout = (uint)Math.Ceiling(connect.TotalSeconds);
        builder.UseLoggerFactory(loggerFactory);
        return await SqlDatabase.OpenAsync(options, DatabaseKind.MySql, builder.Build(), MySqlDialect.Instance, description,
            loggerFactory.CreateLogger<MySqlDatabaseProvider>(), cancellationToken).ConfigureAwait(false);
    }
}
