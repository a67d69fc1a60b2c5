using System.Diagnostics;
using Zeze.Storage.RocksDb;

namespace Zeze.Storage.Tests;

/// <summary>RocksDB directories that cannot be used: each failure names the directory and the problem.</summary>
public sealed class RocksDbErrorTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "zeze-rocks-errors-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private DatabaseOptions Options(string? path = null) =>
        new() { Name = "rocks", Kind = DatabaseKind.RocksDb, ConnectionString = path ?? _directory };

    private async Task CreateWithOneRowAsync()
    {
        await using var db = RocksDbDatabase.Open(Options());
        var table = await db.OpenTableAsync("t");
        await using var batch = db.BeginBatch();
        batch.Put(table, [1], [2]);
        await batch.CommitAsync();
    }

    [Fact]
    public async Task GarbageInCurrentIsReportedAsDamage()
    {
        await CreateWithOneRowAsync();
        await File.WriteAllTextAsync(Path.Combine(_directory, "CURRENT"), "this is not a manifest name\u0001\u0002");
        var error = Assert.Throws<DatabaseException>(() => RocksDbDatabase.Open(Options()));
        Assert.Equal(DatabaseErrorKind.Corrupt, error.Kind);
        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageInTheManifestIsReportedAsDamage()
    {
        await CreateWithOneRowAsync();
        string manifest = Directory.GetFiles(_directory, "MANIFEST-*").Single();
        var garbage = new byte[4096];
        new Random(5).NextBytes(garbage);
        await File.WriteAllBytesAsync(manifest, garbage);
        var error = Assert.Throws<DatabaseException>(() => RocksDbDatabase.Open(Options()));
        Assert.Equal(DatabaseErrorKind.Corrupt, error.Kind);
        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectoryOpenInThisProcessIsReportedAsLocked()
    {
        await using var first = RocksDbDatabase.Open(Options());
        var error = Assert.Throws<DatabaseException>(() => RocksDbDatabase.Open(Options()));
        Assert.Equal(DatabaseErrorKind.Locked, error.Kind);
        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectoryLockedByAnotherProcessIsReportedAsLocked()
    {
        await CreateWithOneRowAsync();
        // RocksDB locks its LOCK file with fcntl; a second process holding that lock is what another server looks like.
        const string HoldLock = "import fcntl, sys, time\nf = open(sys.argv[1], 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\nprint('locked', flush=True)\ntime.sleep(60)\n";
        using var holder = Process.Start(new ProcessStartInfo("python3", ["-c", HoldLock, Path.Combine(_directory, "LOCK")])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync(cts.Token));
            var error = Assert.Throws<DatabaseException>(() => RocksDbDatabase.Open(Options()));
            Assert.Equal(DatabaseErrorKind.Locked, error.Kind);
            Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill();
            await holder.WaitForExitAsync();
        }
        // Once the other process is gone, the directory opens and the data is there.
        await using var db = RocksDbDatabase.Open(Options());
        Assert.Equal(new byte[] { 2 }, await (await db.OpenTableAsync("t")).FindAsync(new byte[] { 1 }));
    }

    [Fact]
    public async Task ADirectoryThatCannotBeCreatedIsReported()
    {
        Directory.CreateDirectory(_directory);
        string file = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        string impossible = Path.Combine(file, "db");
        var error = Assert.Throws<DatabaseException>(() => RocksDbDatabase.Open(Options(impossible)));
        Assert.Contains("cannot create the database directory", error.Message, StringComparison.Ordinal);
        Assert.Contains(impossible, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATemporaryDatabaseIsDeletedOnDispose()
    {
        var options = DatabaseOptions.Parse("rocksdb");
        Assert.True(options.DeleteOnDispose);
        var db = await new DatabaseFactory().OpenAsync(options);
        await using (var batch = db.BeginBatch())
        {
            batch.Put(await db.OpenTableAsync("t"), [1], [1]);
            await batch.CommitAsync();
        }
        Assert.True(Directory.Exists(options.ConnectionString));
        await db.DisposeAsync();
        Assert.False(Directory.Exists(options.ConnectionString));
    }

    [Fact]
    public async Task WithoutSyncWritesCommittedDataIsStillThereAfterReopen()
    {
        var options = Options();
        options.SyncWrites = false;
        await using (var db = RocksDbDatabase.Open(options))
        {
            await using var batch = db.BeginBatch();
            batch.Put(await db.OpenTableAsync("t"), [1], [9]);
            await batch.CommitAsync();
        }
        await using var reopened = RocksDbDatabase.Open(options);
        Assert.Equal(new byte[] { 9 }, await (await reopened.OpenTableAsync("t")).FindAsync(new byte[] { 1 }));
    }
}
