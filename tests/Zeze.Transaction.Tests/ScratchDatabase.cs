using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Zeze.Storage;

namespace Zeze.Transaction.Tests;

// Minimal in-memory IDatabase for the first core tests (replaced by Zeze.Storage's Memory backend).
internal sealed class ScratchDatabase(string name = "") : IDatabase
{
    private readonly ConcurrentDictionary<string, ScratchTable> _tables = new();
    public string Name { get; } = name;
    public string Description => "scratch";
    public int Commits;

    public ValueTask<IKvTable> OpenTableAsync(string name, CancellationToken cancellationToken = default)
        => new(_tables.GetOrAdd(name, n => new ScratchTable(this, n)));

    public IKvBatch BeginBatch() => new Batch(this);
    public ValueTask<VersionedValue?> GetDataWithVersionAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => new((VersionedValue?)null);
    public ValueTask<long?> TrySaveDataWithSameVersionAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken = default) => new(1L);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal sealed class ScratchTable(ScratchDatabase db, string name) : IKvTable
    {
        public readonly ConcurrentDictionary<string, byte[]> Rows = new();
        public string Name { get; } = name;
        public IDatabase Database => db;
        public bool IsNew => true;
        public ValueTask<byte[]?> FindAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
            => new(Rows.TryGetValue(Convert.ToHexString(key.Span), out var v) ? v : null);
        public async IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            foreach (var kv in Rows) yield return new(Convert.FromHexString(kv.Key), kv.Value);
        }
    }

    private sealed class Batch(ScratchDatabase db) : IKvBatch
    {
        private readonly List<(ScratchTable T, string K, byte[]? V)> _writes = [];
        public int Count => _writes.Count;
        public void Put(IKvTable table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _writes.Add(((ScratchTable)table, Convert.ToHexString(key), value.ToArray()));
        public void Delete(IKvTable table, ReadOnlySpan<byte> key) => _writes.Add(((ScratchTable)table, Convert.ToHexString(key), null));
        public ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            lock (db)
            {
                foreach (var (t, k, v) in _writes)
                {
                    if (v == null) t.Rows.TryRemove(k, out _);
                    else t.Rows[k] = v;
                }
                db.Commits++;
            }
            return ValueTask.CompletedTask;
        }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
