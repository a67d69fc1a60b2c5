namespace Zeze.Storage;

/// <summary>
/// Base of every backend's table: the public calls go through the owning <see cref="KvDatabase"/>, which counts
/// them for closing and turns engine exceptions into <see cref="DatabaseException"/>; a backend writes the cores.
/// </summary>
public abstract class KvTable : IKvTable
{
    protected KvTable(KvDatabase database, string name, bool isNew)
    {
        Owner = database;
        Name = name;
        IsNew = isNew;
    }

    public string Name { get; }

    public bool IsNew { get; }

    public IDatabase Database => Owner;

    internal KvDatabase Owner { get; }

    public ValueTask<byte[]?> FindAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        Owner.FindAsync(this, key, cancellationToken);

    public IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkAsync(CancellationToken cancellationToken = default) =>
        Owner.WalkAsync(this, cancellationToken);

    /// <summary>Reads one committed value; returns a fresh array.</summary>
    protected internal abstract ValueTask<byte[]?> FindCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken);

    /// <summary>Every committed row in unsigned lexicographic key order, from a view taken at the start.</summary>
    protected internal abstract IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkCoreAsync(CancellationToken cancellationToken);

    public override string ToString() => $"{Owner.Name}.{Name}";
}
