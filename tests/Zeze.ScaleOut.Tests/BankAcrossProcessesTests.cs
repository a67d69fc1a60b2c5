using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Zeze.ScaleOut.Tests;

/// <summary>
/// The bank (tests/Zeze.BankProbe) in 3 server processes sharing one PostgreSQL database through 1 GCM: 24 workers,
/// 200 accounts, 60 s, one server killed with SIGKILL and restarted every 15 s. The total never changes (read from the
/// database in one statement every 200 ms while it runs: every transfer is written at commit as one database
/// transaction; and audited by a server in a transaction when it gets through), every acknowledged transfer is
/// stored, and every account equals the replay of the stored transfers.
/// </summary>
public class BankAcrossProcessesTests(ITestOutputHelper output)
{
    private const int Accounts = 200;
    private const long Initial = 1000;

    private sealed class BankServer(int id, ChildProcess child)
    {
        public int Id { get; } = id;
        public ChildProcess Child { get; } = child;
    }

    [Fact]
    public async Task ThreeServersOnePostgresKillAndRestartEvery15Seconds()
    {
        await using var pg = await PostgresSchema.CreateAsync();
        await using var c = await LocalCluster.StartAsync(pg.Spec, new TestOutputLogger(output)); // the GCM (test profile)
        var acked = new HashSet<long>();
        var totals = new List<long>();
        var auditFailures = new List<string>();
        var dbTotals = new List<long>();
        var stderrs = new List<string>();
        int kills = 0, incarnations = 0;
        var servers = new BankServer?[3];
        try
        {
            for (int i = 0; i < 3; i++) servers[i] = Start(i + 1);
            foreach (var s in servers) await s!.Child.ExpectAsync(TimeSpan.FromSeconds(90), "READY");
            var clock = Stopwatch.StartNew();
            using var stopAudit = new CancellationTokenSource();
            var dbAudit = AuditDatabaseAsync(pg.ConnectionString, dbTotals, stopAudit.Token, (total, rows) =>
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.00} s: the database total is now {total} ({rows} rows)"));
            int nextKill = 1;
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100); // collect what the servers printed
                foreach (var s in servers) Collect(s!.Child.Drain());
                if (clock.Elapsed >= TimeSpan.FromSeconds(15 * nextKill) && nextKill <= 3)
                {
                    int victim = (nextKill - 1) % 3;
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.00} s: killing server {victim + 1}");
                    await servers[victim]!.Child.KillAsync();
                    await servers[victim]!.Child.DisposeAsync();
                    Collect(servers[victim]!.Child.Drain());
                    stderrs.Add(servers[victim]!.Child.Stderr);
                    kills++;
                    servers[victim] = Start(victim + 1);
                    await servers[victim]!.Child.ExpectAsync(TimeSpan.FromSeconds(90), "READY");
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed and restarted server {victim + 1}; {acked.Count} transfers acknowledged so far");
                    nextKill++;
                }
            }
            stopAudit.Cancel();
            await dbAudit;
        }
        finally
        {
            foreach (var s in servers)
            {
                if (s == null) continue;
                await s.Child.KillAsync();
                await s.Child.DisposeAsync();
                Collect(s.Child.Drain());
                stderrs.Add(s.Child.Stderr);
            }
        }

        // Verify with a fourth server id, through the same GCM.
        await using var verifier = ChildProcess.Start("bank-verify", Programs.Bank, "verify", "--db", pg.Spec, "--gcm", c.Managers, "--server-id", "99");
        var lines = await verifier.ReadToEndAsync(TimeSpan.FromSeconds(120));
        string verdict = lines.LastOrDefault(l => l.StartsWith("OK", StringComparison.Ordinal) || l.StartsWith("FAIL", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("verify printed no verdict: " + verifier.Stderr);
        var stored = lines.Where(l => l.StartsWith("TRANSFER ", StringComparison.Ordinal))
            .Select(l => long.Parse(l.AsSpan(9), CultureInfo.InvariantCulture)).ToHashSet();
        output.WriteLine(verdict);
        foreach (string diff in lines.Where(l => l.StartsWith("DIFF ", StringComparison.Ordinal)).Take(50)) output.WriteLine(diff);
        foreach (string err in stderrs.Where(e => e.Length > 0))
        {
            // Warnings and worse in full (they tell what the servers went through), the rest only as a count.
            var lines2 = err.Split('\n');
            var notable = lines2.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("warn:") || x.l.StartsWith("fail:") || x.l.StartsWith("crit:"))
                .SelectMany(x => lines2.Skip(x.i).Take(2)).ToList();
            output.WriteLine($"server stderr: {lines2.Length} lines; warnings and errors: " + string.Join(" | ", notable.Select(l => l.Trim())));
        }
        output.WriteLine($"database audits: {string.Join(", ", dbTotals.GroupBy(t => t).Select(g => $"{g.Key} x{g.Count()}"))}");
        output.WriteLine($"audits: {string.Join(", ", totals.GroupBy(t => t).Select(g => $"{g.Key} x{g.Count()}"))}; failed audits: {string.Join(", ", auditFailures.GroupBy(t => t).Select(g => $"{g.Key} x{g.Count()}"))}");
        Assert.StartsWith("OK", verdict); // totals add up, no account negative, accounts = replay of the stored transfers
        var lost = acked.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged transfers are not stored, e.g. {string.Join(",", lost.Take(5))}");
        // Stored but never acknowledged: committed and written, then the process was killed before it printed the ACK.
        int unacknowledged = stored.Count(id => !acked.Contains(id));
        Assert.True(acked.Count > 1000, $"only {acked.Count} transfers acknowledged in 60 s");
        Assert.All(totals, t => Assert.Equal(Accounts * Initial, t));
        Assert.All(dbTotals, t => Assert.Equal(Accounts * Initial, t));
        Assert.True(dbTotals.Count > 100, $"only {dbTotals.Count} audits of the database");
        output.WriteLine($"BANK: 3 servers + 1 GCM on PostgreSQL, 24 workers, {Accounts} accounts, 60 s, {kills} SIGKILLs with restart ({incarnations} processes); " +
            $"{acked.Count} transfers acknowledged, all stored; {unacknowledged} stored transfers in flight at a kill (written, ACK not yet printed); " +
            $"{dbTotals.Count} database audits and {totals.Count} transactional audits all {Accounts * Initial} ({auditFailures.Count} transactional audits gave up); {verdict}");

        static async Task AuditDatabaseAsync(string connectionString, List<long> totals, CancellationToken stop, Action<long, int> changed)
        {
            long previous = Accounts * Initial;
            await using var source = Npgsql.NpgsqlDataSource.Create(connectionString);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(200, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                // One statement: one snapshot of the committed state.
                await using var command = source.CreateCommand("SELECT value FROM \"BankProbe_Bank_tAccount\"");
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                long total = 0;
                int rows = 0;
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var account = new BankProbe.Bank.BAccount();
                    account.Decode(Zeze.Serialize.ByteBuffer.Wrap((byte[])reader.GetValue(0)));
                    total += account.Balance;
                    rows++;
                }
                if (rows == Accounts) totals.Add(total);
                if (rows == Accounts && total != previous) changed(total, rows);
                if (rows == Accounts) previous = total;
            }
        }

        BankServer Start(int id)
        {
            incarnations++;
            string[] args = ["run", "--db", pg.Spec, "--gcm", c.Managers, "--server-id", id.ToString(CultureInfo.InvariantCulture),
                "--accounts", Accounts.ToString(CultureInfo.InvariantCulture), "--workers", "8", .. (id == 1 ? ["--audit-ms", "500"] : Array.Empty<string>())];
            return new BankServer(id, ChildProcess.Start("bank-" + id, Programs.Bank, args));
        }

        void Collect(List<string> lines)
        {
            foreach (string line in lines)
            {
                if (line.StartsWith("ACK ", StringComparison.Ordinal)) acked.Add(long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                else if (line.StartsWith("TOTAL ", StringComparison.Ordinal)) totals.Add(long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture));
                else if (line.StartsWith("AUDIT-FAILED ", StringComparison.Ordinal)) auditFailures.Add(line[13..]);
            }
        }
    }
}
