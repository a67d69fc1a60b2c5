using RocksDbSharp;

namespace Zeze.Storage.RocksDb;

/// <summary>A table is one column family; reads are inline (RocksDB calls are synchronous and short).</summary>
internal sealed class RocksDbTable(RocksDbDatabase database, string name, bool isNew, ColumnFamilyHandle family)
    : KvTable(database, name, isNew)
{
    internal ColumnFamilyHandle Family => family;

    protected internal override ValueTask<byte[]?> FindCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken) =>
        ValueTask.FromResult<byte[]?>(database.Engine.Get(key.Span, family, database.ReadOptions));

    protected internal override IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkCoreAsync(CancellationToken cancellationToken) =>
        new SyncAsyncEnumerable<KeyValuePair<byte[], byte[]>>(Rows());

    // An iterator reads the state of the moment it was created, whatever commits while the walk goes on.
    private IEnumerable<KeyValuePair<byte[], byte[]>> Rows()
    {
        using var iterator = database.Engine.NewIterator(family, database.ReadOptions);
        for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
            yield return KeyValuePair.Create(iterator.Key(), iterator.Value());
    }
}
