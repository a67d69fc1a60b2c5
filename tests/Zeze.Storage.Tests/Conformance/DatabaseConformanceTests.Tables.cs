namespace Zeze.Storage.Tests.Conformance;

/// <summary>Tables: creation, names, many of them, and persistence across closing and reopening the database.</summary>
public abstract partial class DatabaseConformanceTests
{
    [Fact]
    public async Task OpenTableCreatesOnceAndReopenSeesCommittedData()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("demo_Module1_Table1", Ct);
        Assert.True(table.IsNew);
        Assert.Same(db, table.Database);
        Assert.Equal("demo_Module1_Table1", table.Name);
        await PutAsync(db, table, B(1), B(2, 3));
        Assert.Equal(1L, await db.TrySaveDataWithSameVersionAsync(B(5), B(6), 0, Ct));
        await db.DisposeAsync();
        await db.DisposeAsync(); // twice is harmless
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await db.OpenTableAsync("demo_Module1_Table1", Ct));

        var reopened = await OpenAsync();
        var again = await reopened.OpenTableAsync("demo_Module1_Table1", Ct);
        Assert.False(again.IsNew);
        Assert.Equal(B(2, 3), await again.FindAsync(B(1), Ct));
        Assert.Single(await WalkAsync(again));
        Assert.Equal(B(6), (await reopened.GetDataWithVersionAsync(B(5), Ct))!.Data);
        Assert.True((await reopened.OpenTableAsync("never_written", Ct)).IsNew);
    }

    [Fact]
    public async Task ManyTablesInOneBatch()
    {
        const int Tables = 200;
        var db = await OpenAsync();
        var tables = new List<IKvTable>();
        for (int i = 0; i < Tables; i++)
            tables.Add(await db.OpenTableAsync($"many_{i}", Ct));
        Assert.All(tables, t => Assert.True(t.IsNew));
        await using (var batch = db.BeginBatch())
        {
            for (int i = 0; i < Tables; i++)
                batch.Put(tables[i], B(1), BitConverter.GetBytes(i));
            await batch.CommitAsync(Ct);
        }
        await db.DisposeAsync();

        var reopened = await OpenAsync();
        for (int i = 0; i < Tables; i++)
        {
            var table = await reopened.OpenTableAsync($"many_{i}", Ct);
            Assert.False(table.IsNew);
            Assert.Equal(BitConverter.GetBytes(i), await table.FindAsync(B(1), Ct));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("a b")]
    [InlineData("tab;le")]
    [InlineData("a`b")]
    [InlineData("a\"b")]
    [InlineData("a]b")]
    [InlineData("é")]
    [InlineData("_zeze_data_with_version_")]
    [InlineData("_ZEZE_anything")]
    public async Task UnsafeTableNamesAreRefused(string name)
    {
        var db = await OpenAsync();
        var refused = await Assert.ThrowsAsync<ArgumentException>(async () => await db.OpenTableAsync(name, Ct));
        Assert.Contains("table name", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TableNamesUpToTheLimitAreAcceptedAndLongerRefused()
    {
        var db = await OpenAsync();
        int limit = Hooks(db).MaxTableNameLength;
        var table = await db.OpenTableAsync("t" + new string('x', limit - 1), Ct);
        await PutAsync(db, table, B(1), B(1));
        Assert.Equal(B(1), await table.FindAsync(B(1), Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await db.OpenTableAsync("t" + new string('x', limit), Ct));
    }

    [Fact]
    public async Task OpeningTheSameTableConcurrentlyCreatesItOnce()
    {
        var db = await OpenAsync();
        var tables = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await db.OpenTableAsync("raced", Ct))));
        Assert.All(tables, t => Assert.Same(tables[0], t));
    }

    [Fact]
    public async Task ClosingWaitsForAWalkInProgress()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("walked_while_closing", Ct);
        await using (var batch = db.BeginBatch())
        {
            for (byte i = 0; i < 3; i++)
                batch.Put(table, B(i), B(i));
            await batch.CommitAsync(Ct);
        }

        var walk = table.WalkAsync(Ct).GetAsyncEnumerator(Ct);
        Assert.True(await walk.MoveNextAsync());
        var closing = db.DisposeAsync().AsTask();
        await Task.Delay(200, Ct);
        Assert.False(closing.IsCompleted);              // the engine is not freed under the walk
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await table.FindAsync(B(0), Ct));
        Assert.True(await walk.MoveNextAsync());        // the walk goes on
        Assert.Equal(B(1), walk.Current.Key);
        await walk.DisposeAsync();
        await closing.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
