using Microsoft.Extensions.Logging;

namespace Zeze.Storage.RocksDb;

public sealed class RocksDbDatabaseProvider : IDatabaseProvider
{
    public DatabaseKind Kind => DatabaseKind.RocksDb;

    public ValueTask<IDatabase> OpenAsync(DatabaseOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IDatabase>(RocksDbDatabase.Open(options, loggerFactory));
}
