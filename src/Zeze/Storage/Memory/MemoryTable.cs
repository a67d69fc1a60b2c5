namespace Zeze.Storage.Memory;

internal sealed class MemoryTable(MemoryDatabase database, string name, bool isNew, Dictionary<byte[], byte[]> rows)
    : KvTable(database, name, isNew)
{
    private readonly object _gate = database.Store.Gate;

    internal Dictionary<byte[], byte[]> Rows => rows;

    protected internal override ValueTask<byte[]?> FindCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var lookup = rows.GetAlternateLookup<ReadOnlySpan<byte>>();
            return ValueTask.FromResult(lookup.TryGetValue(key.Span, out var value) ? (byte[]?)value.AsSpan().ToArray() : null);
        }
    }

    protected internal override IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkCoreAsync(CancellationToken cancellationToken)
    {
        KeyValuePair<byte[], byte[]>[] snapshot;
        lock (_gate)
            snapshot = [.. rows];
        Array.Sort(snapshot, static (a, b) => ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        // Copies on the way out: the stored arrays must never reach a caller that could change them.
        return new SyncAsyncEnumerable<KeyValuePair<byte[], byte[]>>(
            snapshot.Select(static row => KeyValuePair.Create(row.Key.AsSpan().ToArray(), row.Value.AsSpan().ToArray())));
    }
}
