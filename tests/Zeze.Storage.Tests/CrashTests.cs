using System.Buffers.Binary;
using System.Diagnostics;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;
using Zeze.TestSupport;

namespace Zeze.Storage.Tests;

/// <summary>
/// A process committing batches is killed with SIGKILL: every batch whose commit returned must be there, whole, and
/// no batch may be there in part. For RocksDB this is the write-ahead log at work; for the servers, their transactions.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task RocksDbKeepsEveryCommittedBatchWholeAcrossAKill()
    {
        string directory = Path.Combine(Path.GetTempPath(), "zeze-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            await KillAndCheckAsync("rocksdb:" + directory);
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task MariaDbKeepsEveryCommittedBatchWholeAcrossAKill()
    {
        string scratch = await MariaDbScratch.CreateDatabaseAsync();
        try
        {
            await KillAndCheckAsync("mysql:" + scratch);
        }
        finally
        {
            await MariaDbScratch.DropDatabaseAsync(scratch);
        }
    }

    [Fact]
    public async Task PostgresKeepsEveryCommittedBatchWholeAcrossAKill()
    {
        string scratch = await PostgresScratch.CreateSchemaAsync();
        try
        {
            await KillAndCheckAsync("postgres:" + scratch);
        }
        finally
        {
            await PostgresScratch.DropSchemaAsync(scratch);
        }
    }

    private static async Task KillAndCheckAsync(string db)
    {
        long reported = await RunProbeUntilKilledAsync(db, killAfter: 200);
        await using var database = await new DatabaseFactory().AddMySql().AddPostgres().OpenAsync(DatabaseOptions.Parse(db, "crash"));
        var a = await database.OpenTableAsync("crash_a");
        var b = await database.OpenTableAsync("crash_b");
        long last = BinaryPrimitives.ReadInt64BigEndian((await a.FindAsync("last"u8.ToArray()))!);

        // The batch in flight at the kill may or may not have committed; nothing after it can have.
        Assert.InRange(last, reported, reported + 1);
        var inA = await KeysAsync(a);
        var inB = await KeysAsync(b);
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), inA);
        Assert.Equal(inA, inB);
    }

    private static async Task<List<long>> KeysAsync(IKvTable table)
    {
        var keys = new List<long>();
        await foreach (var row in table.WalkAsync())
        {
            if (row.Key.Length == 8)
                keys.Add(BinaryPrimitives.ReadInt64BigEndian(row.Key));
        }
        return keys;
    }

    /// <summary>Runs the probe until it reported <paramref name="killAfter"/> commits, kills it, and returns the last one it reported.</summary>
    private static async Task<long> RunProbeUntilKilledAsync(string db, int killAfter)
    {
        string probe = ProbePath();
        using var process = Process.Start(new ProcessStartInfo("dotnet", [probe, db])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = process.StandardError.ReadToEndAsync();
        long reported = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (reported < killAfter && await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
                reported = long.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            process.Kill(); // SIGKILL on Linux: no shutdown code runs
            await process.WaitForExitAsync(CancellationToken.None);
        }
        Assert.True(reported >= killAfter, $"the probe stopped after {reported} commits: {await errors}");
        // Lines the probe wrote before the kill and this loop did not read yet also count.
        while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            reported = long.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return reported;
    }

    private static string ProbePath()
    {
        // The probe is built beside this assembly's configuration: .../CrashProbe/bin/<Configuration>/net10.0/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(RepositoryRoot.Path, "tests", "Zeze.Storage.CrashProbe", "bin", here.Parent!.Name, here.Name, "Zeze.Storage.CrashProbe.dll");
        Assert.True(File.Exists(path), $"the crash probe is not built at {path}");
        return path;
    }
}
