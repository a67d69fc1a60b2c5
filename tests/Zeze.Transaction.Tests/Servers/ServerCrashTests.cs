using Zeze.TestSupport;

namespace Zeze.Transaction.Tests.Servers;

/// <summary>
/// The bank process of <see cref="CrashTests"/> killed with SIGKILL 20 times on MariaDB and on PostgreSQL (a fresh
/// database or schema each): every acknowledged transfer is stored, the totals add up, no half transaction.
/// </summary>
[Collection(ServerTests.Name)]
public class ServerCrashTests
{
    [Fact]
    public async Task KilledBankOnMariaDbNeverLosesAcknowledgedTransfersOrHalfTransactions()
    {
        string scratch = await MariaDbScratch.CreateDatabaseAsync();
        try
        {
            await CrashTests.KillRepeatedlyAsync("mysql:" + scratch, seed: 3306);
        }
        finally
        {
            await MariaDbScratch.DropDatabaseAsync(scratch);
        }
    }

    [Fact]
    public async Task KilledBankOnPostgresNeverLosesAcknowledgedTransfersOrHalfTransactions()
    {
        string scratch = await PostgresScratch.CreateSchemaAsync();
        try
        {
            await CrashTests.KillRepeatedlyAsync("postgres:" + scratch, seed: 5432);
        }
        finally
        {
            await PostgresScratch.DropSchemaAsync(scratch);
        }
    }
}
