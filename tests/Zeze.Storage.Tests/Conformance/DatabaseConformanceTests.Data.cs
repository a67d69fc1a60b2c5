namespace Zeze.Storage.Tests.Conformance;

/// <summary>Versioned data (compare-and-set) and in-use marks.</summary>
public abstract partial class DatabaseConformanceTests
{
    [Fact]
    public async Task VersionedDataIsACompareAndSet()
    {
        var db = await OpenAsync();
        byte[] key = "zeze.Schemas.1"u8.ToArray();
        Assert.Null(await db.GetDataWithVersionAsync(key, Ct));
        Assert.Null(await db.TrySaveDataWithSameVersionAsync(key, B(1), 3, Ct));   // absent, but a version was expected
        Assert.Equal(1L, await db.TrySaveDataWithSameVersionAsync(key, B(1), 0, Ct));
        Assert.Null(await db.TrySaveDataWithSameVersionAsync(key, B(2), 0, Ct));   // present now
        Assert.Equal(2L, await db.TrySaveDataWithSameVersionAsync(key, B(2), 1, Ct));
        Assert.Null(await db.TrySaveDataWithSameVersionAsync(key, B(3), 1, Ct));   // stale
        var stored = await db.GetDataWithVersionAsync(key, Ct);
        Assert.Equal(B(2), stored!.Data);
        Assert.Equal(2, stored.Version);

        byte[] big = RandomBytes(200_000, 11);
        Assert.Equal(3L, await db.TrySaveDataWithSameVersionAsync(key, big, 2, Ct));
        Assert.Equal(big, (await db.GetDataWithVersionAsync(key, Ct))!.Data);
        Assert.Equal(1L, await db.TrySaveDataWithSameVersionAsync(B(), B(), 0, Ct));   // empty key and data
        Assert.Equal(B(), (await db.GetDataWithVersionAsync(B(), Ct))!.Data);
        Assert.Null(await db.GetDataWithVersionAsync(B(0), Ct));
    }

    [Fact]
    public async Task ConcurrentCompareAndSetHasOneWinner()
    {
        var db = await OpenAsync();
        byte[] key = "contended"u8.ToArray();
        Assert.Equal(1L, await db.TrySaveDataWithSameVersionAsync(key, B(0), 0, Ct));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await db.TrySaveDataWithSameVersionAsync(key, B((byte)i), 1, Ct))));
        Assert.Single(results, r => r == 2);
        Assert.Equal(7, results.Count(r => r is null));
    }

    [Fact]
    public async Task InUseMarksKeepOutASecondServer()
    {
        var db = await OpenAsync();
        await db.SetInUseAsync(1, "", Ct);
        var same = await Assert.ThrowsAsync<DatabaseException>(async () => await db.SetInUseAsync(1, "", Ct));
        Assert.Equal(DatabaseErrorKind.InUse, same.Kind);
        Assert.Contains("server id 1", same.Message, StringComparison.Ordinal);
        var second = await Assert.ThrowsAsync<DatabaseException>(async () => await db.SetInUseAsync(2, "gcm", Ct));
        Assert.Equal(DatabaseErrorKind.InUse, second.Kind);
        Assert.True(await db.ClearInUseAsync(1, Ct));
        Assert.False(await db.ClearInUseAsync(1, Ct));

        // With a global cache, servers naming the same one share the database.
        await db.SetInUseAsync(1, "gcm", Ct);
        await db.SetInUseAsync(2, "gcm", Ct);
        var otherCache = await Assert.ThrowsAsync<DatabaseException>(async () => await db.SetInUseAsync(3, "other", Ct));
        Assert.Contains("global cache", otherCache.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DatabaseException>(async () => await db.SetInUseAsync(3, "", Ct));

        if (InUseMarksSurviveReopen)
        {
            // A crashed server's mark stays until cleared.
            await db.DisposeAsync();
            var reopened = await OpenAsync();
            await Assert.ThrowsAsync<DatabaseException>(async () => await reopened.SetInUseAsync(2, "gcm", Ct));
            Assert.True(await reopened.ClearInUseAsync(2, Ct));
            await reopened.SetInUseAsync(2, "gcm", Ct);
        }
    }
}
