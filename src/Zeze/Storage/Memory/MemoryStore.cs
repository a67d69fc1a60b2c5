using System.Collections.Concurrent;

namespace Zeze.Storage.Memory;

/// <summary>
/// The data of one in-memory database, kept for the life of the process under its store name, so an application
/// restarted inside the same process (a test simulating a restart) finds its old data. One lock guards it all:
/// a batch applies under it, which makes it atomic for every reader.
/// </summary>
internal sealed class MemoryStore
{
    private static readonly ConcurrentDictionary<string, MemoryStore> Stores = new(StringComparer.Ordinal);

    public static MemoryStore Get(string storeName) => Stores.GetOrAdd(storeName, static _ => new MemoryStore());

    public static bool Drop(string storeName) => Stores.TryRemove(storeName, out _);

    public object Gate { get; } = new();

    /// <summary>Rows per table; values are arrays nobody else references (copied in, copied out).</summary>
    public Dictionary<string, Dictionary<byte[], byte[]>> Tables { get; } = new(StringComparer.Ordinal);

    public Dictionary<byte[], VersionedValue> Data { get; } = new(ByteArrayComparer.Instance);

    public InUseMarks InUse { get; } = new();
}
