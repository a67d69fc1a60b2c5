namespace Zeze.Storage.Tests.Conformance;

/// <summary>
/// The behaviour every backend must show, run once per backend by a subclass that says how to open its database.
/// Each test gets a fresh database (xunit makes one instance per test); <see cref="OpenAsync"/> opens that same
/// database again each time it is called, which is how the reopen tests see persistence.
/// </summary>
public abstract partial class DatabaseConformanceTests : IAsyncLifetime
{
    private readonly List<IDatabase> _opened = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(90));

    /// <summary>Bounds every call of a test: a hung backend fails the test instead of the run.</summary>
    protected CancellationToken Ct => _timeout.Token;

    /// <summary>Opens the test's database (the same one on every call).</summary>
    protected abstract Task<IDatabase> OpenDatabaseAsync();

    /// <summary>Creates the test's fresh database (a scratch schema, a temporary directory...).</summary>
    protected virtual Task CreateAsync() => Task.CompletedTask;

    /// <summary>Removes what <see cref="CreateAsync"/> made.</summary>
    protected virtual Task DeleteAsync() => Task.CompletedTask;

    /// <summary>False where in-use marks live only as long as the open database (RocksDB: its directory lock does the job).</summary>
    protected virtual bool InUseMarksSurviveReopen => true;

    public Task InitializeAsync() => CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var database in _opened)
            await database.DisposeAsync();
        await DeleteAsync();
        _timeout.Dispose();
    }

    protected async Task<IDatabase> OpenAsync()
    {
        var database = await OpenDatabaseAsync();
        _opened.Add(database);
        return database;
    }

    protected static KvDatabase Hooks(IDatabase database) => Assert.IsAssignableFrom<KvDatabase>(database);

    protected static byte[] B(params byte[] bytes) => bytes;

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task PutAsync(IDatabase database, IKvTable table, byte[] key, byte[] value)
    {
        await using var batch = database.BeginBatch();
        batch.Put(table, key, value);
        await batch.CommitAsync(Ct);
    }

    protected async Task<List<KeyValuePair<byte[], byte[]>>> WalkAsync(IKvTable table)
    {
        var rows = new List<KeyValuePair<byte[], byte[]>>();
        await foreach (var row in table.WalkAsync(Ct))
            rows.Add(row);
        return rows;
    }
}
