using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Zeze.Storage;

namespace Zeze.Transaction.Tests;

// Minimal in-memory IDatabase for the core tests, with fault injection (fail the N-th write of a batch).
internal sealed class ScratchDatabase(string name = "") : IDatabase
{
    private readonly ConcurrentDictionary<string, ScratchTable> _tables = new();
    private readonly Dictionary<string, VersionedValue> _versioned = [];
    public string Name { get; } = name;
    public string Description => "scratch";
    public int Commits;

    /// <summary>When set, the next batch throws at this write index (0-based) and applies nothing.</summary>
    public int? FailAtWrite;

    public ValueTask<IKvTable> OpenTableAsync(string name, CancellationToken cancellationToken = default)
        => new(_tables.GetOrAdd(name, n => new ScratchTable(this, n)));

    public ScratchTable Table(string name) => _tables.GetOrAdd(name, n => new ScratchTable(this, n));

    public IKvBatch BeginBatch() => new Batch(this);

    public ValueTask<VersionedValue?> GetDataWithVersionAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        lock (_versioned) return new(_versioned.TryGetValue(Convert.ToHexString(key.Span), out var v) ? v : null);
    }

    public ValueTask<long?> TrySaveDataWithSameVersionAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_versioned)
        {
            string k = Convert.ToHexString(key.Span);
            long current = _versioned.TryGetValue(k, out var v) ? v.Version : 0;
            if (current != expectedVersion) return new((long?)null);
            _versioned[k] = new VersionedValue(data.ToArray(), current + 1);
            return new(current + 1);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal sealed class ScratchTable(ScratchDatabase db, string name) : IKvTable
    {
        public readonly ConcurrentDictionary<string, byte[]> Rows = new();
        public string Name { get; } = name;
        public IDatabase Database => db;
        public bool IsNew => true;
        public ValueTask<byte[]?> FindAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
            => new(Rows.TryGetValue(Convert.ToHexString(key.Span), out var v) ? v : null);
        public byte[]? Get(ReadOnlySpan<byte> key) => Rows.TryGetValue(Convert.ToHexString(key), out var v) ? v : null;
        public async IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            foreach (var kv in Rows.OrderBy(kv => kv.Key, StringComparer.Ordinal)) yield return new(Convert.FromHexString(kv.Key), kv.Value);
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
                if (db.FailAtWrite is int fail && fail < _writes.Count)
                {
                    db.FailAtWrite = null;
                    throw new IOException($"injected failure at write {fail}");
                }
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
