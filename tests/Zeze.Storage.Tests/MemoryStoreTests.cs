using Zeze.Storage.Memory;

namespace Zeze.Storage.Tests;

/// <summary>The memory backend's process-global stores, which tests use to simulate restarts.</summary>
public sealed class MemoryStoreTests
{
    private static DatabaseOptions Options(string store) => new() { Name = "app", Kind = DatabaseKind.Memory, ConnectionString = store };

    [Fact]
    public async Task AnApplicationRestartedInTheProcessSeesItsDataEvenWithoutAClose()
    {
        string store = "restart-" + Guid.NewGuid().ToString("N");
        var crashed = MemoryDatabase.Open(Options(store));   // never disposed: a crash
        await using (var batch = crashed.BeginBatch())
        {
            batch.Put(await crashed.OpenTableAsync("t"), [1], [7]);
            await batch.CommitAsync();
        }
        await crashed.SetInUseAsync(1, "");

        await using var restarted = MemoryDatabase.Open(Options(store));
        var table = await restarted.OpenTableAsync("t");
        Assert.False(table.IsNew);
        Assert.Equal(new byte[] { 7 }, await table.FindAsync(new byte[] { 1 }));
        var inUse = await Assert.ThrowsAsync<DatabaseException>(async () => await restarted.SetInUseAsync(1, ""));
        Assert.Equal(DatabaseErrorKind.InUse, inUse.Kind);

        Assert.True(MemoryDatabase.DropStore(store));
        await using var fresh = MemoryDatabase.Open(Options(store));
        Assert.True((await fresh.OpenTableAsync("t")).IsNew);
        MemoryDatabase.DropStore(store);
    }

    [Fact]
    public async Task WithoutAConnectionStringTheStoreIsNamedAfterTheDatabase()
    {
        string name = "named-" + Guid.NewGuid().ToString("N");
        var options = new DatabaseOptions { Name = name, Kind = DatabaseKind.Memory };
        await using (var db = await new DatabaseFactory().OpenAsync(options))
            await db.TrySaveDataWithSameVersionAsync(new byte[] { 1 }, new byte[] { 2 }, 0);
        await using var again = await new DatabaseFactory().OpenAsync(options);
        Assert.Equal(1, (await again.GetDataWithVersionAsync(new byte[] { 1 }))!.Version);
        Assert.Equal(name, ((MemoryDatabase)again).StoreName);
        MemoryDatabase.DropStore(name);
    }
}
