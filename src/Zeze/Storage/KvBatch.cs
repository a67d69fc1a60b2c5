namespace Zeze.Storage;

/// <summary>
/// The one batch implementation: buffers copies of the writes and hands them to the backend at commit, so every
/// backend gets the same checks (one database per batch, key length, commit once).
/// </summary>
internal sealed class KvBatch(KvDatabase database) : IKvBatch
{
    private List<KvWrite>? _writes = [];
    private bool _committed;

    public int Count => _writes?.Count ?? 0;

    public void Put(IKvTable table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        Add(table, key, value.ToArray());

    public void Delete(IKvTable table, ReadOnlySpan<byte> key) => Add(table, key, null);

    private void Add(IKvTable table, ReadOnlySpan<byte> key, byte[]? value)
    {
        var writes = Open();
        ArgumentNullException.ThrowIfNull(table);
        if (table is not KvTable kv || !ReferenceEquals(kv.Owner, database))
            throw new ArgumentException(
                $"table '{table.Name}' belongs to database '{table.Database.Name}', but this batch writes database " +
                $"'{database.Name}': a batch is atomic only within one database.", nameof(table));
        if (key.Length > database.MaxKeyLength)
            throw new ArgumentException(
                $"database '{database.Name}', table '{table.Name}': a key of {key.Length} bytes is longer than the " +
                $"{database.MaxKeyLength} bytes this database takes.", nameof(key));
        writes.Add(new KvWrite(kv, key.ToArray(), value));
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        var writes = Open();
        _committed = true;
        if (writes.Count > 0)
            await database.CommitBatchAsync(writes, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _writes = null;
        return ValueTask.CompletedTask;
    }

    private List<KvWrite> Open()
    {
        ObjectDisposedException.ThrowIf(_writes is null, this);
        if (_committed)
            throw new InvalidOperationException($"database '{database.Name}': this batch was already committed; begin a new one.");
        return _writes;
    }
}
