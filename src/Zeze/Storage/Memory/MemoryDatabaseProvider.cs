using Microsoft.Extensions.Logging;

namespace Zeze.Storage.Memory;

public sealed class MemoryDatabaseProvider : IDatabaseProvider
{
    public DatabaseKind Kind => DatabaseKind.Memory;

    public ValueTask<IDatabase> OpenAsync(DatabaseOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IDatabase>(MemoryDatabase.Open(options, loggerFactory));
}
