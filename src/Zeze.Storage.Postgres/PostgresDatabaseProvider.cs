using Microsoft.Extensions.Logging;
using Npgsql;
using Zeze.Storage.Sql;

namespace Zeze.Storage.Postgres;

/// <summary>Opens <see cref="DatabaseKind.Postgres"/> databases with Npgsql's pooled data source.</summary>
/// <remarks>Tables go to the first schema of the connection's search path (<c>Search Path=NAME</c> in the connection string).</remarks>
public sealed class PostgresDatabaseProvider : IDatabaseProvider
{
    public DatabaseKind Kind => DatabaseKind.Postgres;

    public async ValueTask<IDatabase> OpenAsync(DatabaseOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw SqlDatabase.InvalidConnectionString(options, "PostgreSQL", e);
        }
        var settings = builder.ConnectionStringBuilder;
        string schema = string.IsNullOrEmpty(settings.SearchPath) ? "" : $" (search path {settings.SearchPath})";
        string description = $"PostgreSQL {settings.Username}@{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}{schema}";
        if (options.MaxPoolSize is { } pool)
            settings.MaxPoolSize = pool;
        if (options.ConnectTimeout is { } connect)
            settings.Timeout = (int)Math.Ceiling(connect.TotalSeconds);
        builder.UseLoggerFactory(loggerFactory);
        return await SqlDatabase.OpenAsync(options, DatabaseKind.Postgres, builder.Build(), PostgresDialect.Instance, description,
            loggerFactory.CreateLogger<PostgresDatabaseProvider>(), cancellationToken).ConfigureAwait(false);
    }
}
