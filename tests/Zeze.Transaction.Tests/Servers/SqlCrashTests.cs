using Xunit.Abstractions;
using Zeze.TestSupport;

namespace Zeze.Transaction.Tests.Servers;

// The bank process of CrashTests killed with SIGKILL 20 times on MariaDB and on PostgreSQL (a fresh database or
// schema each): every acknowledged transfer is stored, the totals add up, no half transaction. Two classes, so that
// the two backends run side by side (most of the time goes into starting processes).

public class MariaDbCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledBankOnMariaDbNeverLosesAcknowledgedTransfersOrHalfTransactions()
    {
        string scratch = await MariaDbScratch.CreateDatabaseAsync();
        try
        {
            output.WriteLine(await CrashTests.KillRepeatedlyAsync("mysql:" + scratch, seed: 3306));
        }
        finally
        {
            await MariaDbScratch.DropDatabaseAsync(scratch);
        }
    }
}

public class PostgresCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledBankOnPostgresNeverLosesAcknowledgedTransfersOrHalfTransactions()
    {
        string scratch = await PostgresScratch.CreateSchemaAsync();
        try
        {
            output.WriteLine(await CrashTests.KillRepeatedlyAsync("postgres:" + scratch, seed: 5432));
        }
        finally
        {
            await PostgresScratch.DropSchemaAsync(scratch);
        }
    }
}
