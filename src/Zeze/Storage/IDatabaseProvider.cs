using Microsoft.Extensions.Logging;

namespace Zeze.Storage;

/// <summary>Opens databases of one <see cref="DatabaseKind"/>; the SQL packages each ship one.</summary>
public interface IDatabaseProvider
{
    DatabaseKind Kind { get; }

    /// <summary>Opens (creating when needed) the database the options describe; the options are already validated.</summary>
    ValueTask<IDatabase> OpenAsync(DatabaseOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken);
}
