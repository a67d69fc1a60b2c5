namespace Zeze.Transaction.Tests;

/// <summary>
/// A bank process on RocksDB killed with SIGKILL at random moments, 20 times: after every restart the totals add up,
/// every account equals the replay of the stored transfers (no half transaction), and every acknowledged transfer
/// (its table is flushed on commit) is stored. Servers/SqlCrashTests runs the same on MariaDB and PostgreSQL.
/// </summary>
public class CrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public const int Kills = 20;

    [Fact]
    public async Task KilledBankOnRocksDbNeverLosesAcknowledgedTransfersOrHalfTransactions()
    {
        string dir = Path.Combine(Path.GetTempPath(), "zeze-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            output.WriteLine(await KillRepeatedlyAsync("rocksdb:" + dir, seed: 20261123));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Runs the probe on <paramref name="db"/> and kills it <see cref="Kills"/> times, verifying after each kill. Returns a summary.</summary>
    internal static async Task<string> KillRepeatedlyAsync(string db, int seed)
    {
        var rnd = new Random(seed);
        long acknowledged = 0;
        int stored = 0;
        for (int i = 0; i < Kills; i++)
        {
            var acks = await BankProbeRunner.RunAndKill(db, TimeSpan.FromMilliseconds(rnd.Next(20, 700)));
            var present = await BankProbeRunner.Verify(db);
            var lost = acks.Where(id => !present.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"run {i}: {lost.Count} acknowledged transfers are missing, e.g. {string.Join(",", lost.Take(5))}");
            acknowledged += acks.Count;
            stored = present.Count;
        }
        Assert.True(acknowledged > 0);
        return $"CRASH {db[..db.IndexOf(':')]}: {Kills} SIGKILLs, {acknowledged} acknowledged transfers all stored, {stored} transfers stored in all";
    }
}
