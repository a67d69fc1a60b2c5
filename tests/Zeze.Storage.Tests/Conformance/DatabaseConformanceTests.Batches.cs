namespace Zeze.Storage.Tests.Conformance;

/// <summary>Atomicity of batches: all or nothing, never visible before commit, nothing left by an abandoned batch.</summary>
public abstract partial class DatabaseConformanceTests
{
    [Fact]
    public async Task ABatchIsInvisibleUntilCommitThenVisibleInEveryTable()
    {
        var db = await OpenAsync();
        var accounts = await db.OpenTableAsync("accounts", Ct);
        var journal = await db.OpenTableAsync("journal", Ct);
        await using var batch = db.BeginBatch();
        batch.Put(accounts, B(1), B(100));
        batch.Put(journal, B(1), B(7));
        Assert.Null(await accounts.FindAsync(B(1), Ct));
        Assert.Null(await journal.FindAsync(B(1), Ct));
        await batch.CommitAsync(Ct);
        Assert.Equal(B(100), await accounts.FindAsync(B(1), Ct));
        Assert.Equal(B(7), await journal.FindAsync(B(1), Ct));
    }

    [Fact]
    public async Task ABatchFailingInTheMiddleLeavesNothing()
    {
        var db = await OpenAsync();
        var a = await db.OpenTableAsync("table_a", Ct);
        var b = await db.OpenTableAsync("table_b", Ct);
        await using (var setup = db.BeginBatch())
        {
            setup.Put(a, B(1), B(1));
            setup.Put(b, B(9), B(9));
            await setup.CommitAsync(Ct);
        }

        Hooks(db).FailNextBatchAtWrite = 7;
        await using (var batch = db.BeginBatch())
        {
            batch.Put(a, B(1), B(111));   // replaces
            batch.Delete(b, B(9));         // deletes
            for (byte i = 10; i < 18; i++)
                batch.Put(i % 2 == 0 ? a : b, B(i), B(i));
            var error = await Assert.ThrowsAsync<DatabaseException>(async () => await batch.CommitAsync(Ct));
            Assert.True(error.IsTransient);
            Assert.Contains("test hook", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(B(1), await a.FindAsync(B(1), Ct));
        Assert.Equal(B(9), await b.FindAsync(B(9), Ct));
        Assert.Single(await WalkAsync(a));
        Assert.Single(await WalkAsync(b));

        // The hook fires once: the same writes commit next time.
        await using (var again = db.BeginBatch())
        {
            again.Put(a, B(1), B(111));
            again.Delete(b, B(9));
            await again.CommitAsync(Ct);
        }
        Assert.Equal(B(111), await a.FindAsync(B(1), Ct));
        Assert.Null(await b.FindAsync(B(9), Ct));
    }

    [Fact]
    public async Task ADisposedBatchLeavesNoTraceAndABatchCommitsOnce()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("abandoned", Ct);
        var batch = db.BeginBatch();
        batch.Put(table, B(1), B(1));
        await batch.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => batch.Put(table, B(2), B(2)));
        Assert.Null(await table.FindAsync(B(1), Ct));
        Assert.Empty(await WalkAsync(table));

        await using var committed = db.BeginBatch();
        committed.Put(table, B(3), B(3));
        await committed.CommitAsync(Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await committed.CommitAsync(Ct));
        Assert.Throws<InvalidOperationException>(() => committed.Put(table, B(4), B(4)));
    }

    [Fact]
    public async Task AnEmptyBatchCommits()
    {
        var db = await OpenAsync();
        await using var batch = db.BeginBatch();
        await batch.CommitAsync(Ct);
    }

    [Fact]
    public async Task ABatchRefusesATableOfAnotherDatabase()
    {
        var db = await OpenAsync();
        string store = "other-" + Guid.NewGuid().ToString("N");
        await using var other = Memory.MemoryDatabase.Open(new DatabaseOptions { Name = "other", Kind = DatabaseKind.Memory, ConnectionString = store });
        var foreign = await other.OpenTableAsync("shared", Ct);
        Memory.MemoryDatabase.DropStore(store);
        await using var batch = db.BeginBatch();
        var refused = Assert.Throws<ArgumentException>(() => batch.Put(foreign, B(1), B(1)));
        Assert.Contains("one database", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentBatchesAllApply()
    {
        var db = await OpenAsync();
        var table = await db.OpenTableAsync("concurrent", Ct);
        const int Writers = 6, BatchesEach = 15;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < BatchesEach; i++)
            {
                await using var batch = db.BeginBatch();
                batch.Put(table, B((byte)w, (byte)i), B((byte)i));
                batch.Put(table, B((byte)w, (byte)i, 1), B((byte)w));
                await batch.CommitAsync(Ct);
            }
        })));
        Assert.Equal(Writers * BatchesEach * 2, (await WalkAsync(table)).Count);
    }
}
