using System.Globalization;
using MySqlConnector;
using TestTx.Demo;
using Xunit.Abstractions;
using Zeze.Serialize;
using Zeze.TestSupport;

namespace Zeze.Transaction.Tests.Servers;

/// <summary>
/// The bank on the three-node Galera cluster through a failover connection string (nodes 1, 2, 3 in that order:
/// MySqlConnector opens each new connection on the first node that answers, so the application writes through node
/// 1). Node 1 is killed with SIGKILL while the bank runs; the checkpoint retries through node 2, the run completes,
/// and every remaining node, read directly, holds the final balances. Node 1 then rejoins and catches up.
/// </summary>
public class GaleraTests(ITestOutputHelper output)
{
    private const string AccountTable = "TestTx_Demo_TAccount";

    [Fact]
    public async Task BankCompletesWhenTheNodeItWritesThroughIsKilled()
    {
        using var clusterLock = await GaleraCluster.LockAsync();
        var cluster = await GaleraCluster.EnsureRunningAsync();
        string scratch = await MariaDbScratch.CreateDatabaseAsync(cluster.Nodes[1]);
        string database = new MySqlConnectionStringBuilder(scratch).Database;
        string failOver = MariaDbScratch.WithDatabase(cluster.FailOver, database);
        string[] nodes = cluster.Nodes.Select(n => MariaDbScratch.WithDatabase(n, database)).ToArray();
        bool killed = false;
        try
        {
            Assert.Equal("node1", await NodeNameAsync(failOver)); // the failover list starts with node 1
            long[] final;
            await using (var s = await ServerApp.StartAsync("mysql:" + failOver))
            {
                await using var probe = new CheckpointProbe(s.App.Name, TimeSpan.FromMilliseconds(20));
                var bank = BankTests.RunBank(s.App, s.Demo.TAccount);
                // Kill node 1 once checkpoints reach the cluster, while the bank is still running.
                while (probe.FirstWriteAfter(TimeSpan.Zero) == null && !bank.IsCompleted)
                {
                    Assert.True(probe.Now < TimeSpan.FromSeconds(60), "no checkpoint write within 60 s");
                    await Task.Delay(10);
                }
                Assert.False(bank.IsCompleted, "the bank finished before a checkpoint reached the cluster");
                await GaleraCluster.KillAsync(1);
                killed = true;
                var killedAt = probe.Now;
                await bank; // bounded inside
                await s.App.CheckpointNowAsync().WaitAsync(TimeSpan.FromMinutes(2));
                var written = probe.FirstWriteAfter(killedAt);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"GALERA killed node1 at {killedAt.TotalSeconds:F2}s, bank done at {probe.Now.TotalSeconds:F2}s, write failures {s.App.Checkpoint.WriteFailures}, " +
                    $"first write after the kill {(written is { } w ? (w - killedAt).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + "s later" : "none")}"));
                Assert.NotNull(written);
                final = await s.BalancesAsync();
            }
            Assert.Equal(BankTests.Accounts * BankTests.Initial, final.Sum());
            for (int n = 2; n <= GaleraCluster.Nodes; n++)
            {
                var stored = await StoredBalancesAsync(nodes[n - 1]);
                output.WriteLine($"GALERA node{n}: total {stored.Sum()}");
                Assert.Equal(final, stored);
            }

            await GaleraCluster.RestartAsync(1);
            killed = false;
            Assert.Equal(final, await StoredBalancesAsync(nodes[0])); // caught up after rejoining
        }
        finally
        {
            if (killed) await GaleraCluster.RestartAsync(1);
            await MariaDbScratch.DropDatabaseAsync(scratch);
        }
    }

    private static async Task<string> NodeNameAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT @@wsrep_node_name", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The balances stored on one node, read with plain SQL and decoded (key: the encoded long; value: the bean).</summary>
    private static async Task<long[]> StoredBalancesAsync(string node)
    {
        var balances = Enumerable.Repeat(-1L, BankTests.Accounts).ToArray();
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(node) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SELECT id, value FROM `{AccountTable}`", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            long key = ByteBuffer.Wrap(reader.GetFieldValue<byte[]>(0)).ReadLong();
            var account = new Account();
            account.Decode(ByteBuffer.Wrap(reader.GetFieldValue<byte[]>(1)));
            balances[key] = account.Balance;
        }
        return balances;
    }
}
