using Zeze.TestSupport;

namespace Zeze.Transaction.Tests.Servers;

/// <summary>
/// The full bank (64 tasks × 10,000 transfers, injected faults) on MariaDB and on PostgreSQL, each in a fresh
/// database or schema; then a restart of the application reads every balance back from the server.
/// </summary>
public class ServerBankTests
{
    [Fact]
    public async Task BankOnMariaDbSurvivesRestart()
    {
        string scratch = await MariaDbScratch.CreateDatabaseAsync();
        try
        {
            await RunAndRestartAsync("mysql:" + scratch);
        }
        finally
        {
            await MariaDbScratch.DropDatabaseAsync(scratch);
        }
    }

    [Fact]
    public async Task BankOnPostgresSurvivesRestart()
    {
        string scratch = await PostgresScratch.CreateSchemaAsync();
        try
        {
            await RunAndRestartAsync("postgres:" + scratch);
        }
        finally
        {
            await PostgresScratch.DropSchemaAsync(scratch);
        }
    }

    private static async Task RunAndRestartAsync(string db)
    {
        long[] final;
        await using (var a = await ServerApp.StartAsync(db))
        {
            await BankTests.RunBank(a.App, a.Demo.TAccount);
            final = await a.BalancesAsync();
        } // stopping writes the rest
        await using var b = await ServerApp.StartAsync(db);
        var stored = await b.BalancesAsync();
        Assert.Equal(final, stored);
        Assert.Equal(BankTests.Accounts * BankTests.Initial, stored.Sum());
    }
}
