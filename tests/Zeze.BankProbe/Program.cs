using System.Globalization;
using Microsoft.Extensions.Logging;
using BankProbe.Bank;
using Zeze;
using Zeze.Storage;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;
using Zeze.Transaction;

// A bank that crash tests run and kill with SIGKILL.
//   run    --db SPEC [--accounts N] [--workers W] [--server-id S]   transfers until killed; prints "ACK <id>" per
//          acknowledged transfer (durable: the transfer log is flushed on commit, together with both accounts).
//          [--audit-ms M]: also reads every account in one transaction every M ms and prints "TOTAL <sum>".
//   verify --db SPEC                                                prints "TRANSFER <id>" per stored transfer, then
//          "OK total=<t>" or "FAIL <reason>".
// Both take [--gcm host:port]: several bank processes (each with its own --server-id) share the database through
// that global cache manager.
const long Initial = 1000;
string mode = args.Length > 0 ? args[0] : throw new ArgumentException("run or verify");
string db = Arg("--db") ?? throw new ArgumentException("--db is required");
int accounts = int.Parse(Arg("--accounts") ?? "100", CultureInfo.InvariantCulture);
int workers = int.Parse(Arg("--workers") ?? "8", CultureInfo.InvariantCulture);
int serverId = int.Parse(Arg("--server-id") ?? "0", CultureInfo.InvariantCulture);

int auditMs = int.Parse(Arg("--audit-ms") ?? "0", CultureInfo.InvariantCulture);

var options = new ZezeOptions
{
    Name = "bank-probe",
    ServerId = serverId,
    ClearInUseOnStart = true,
    CheckpointPeriod = TimeSpan.FromMilliseconds(200),
    GlobalCacheManagers = Arg("--gcm") ?? "",
};
options.Databases[""] = DatabaseOptions.Parse(db);
// The transfer log and the meta record are flushed when their transaction commits.
options.Tables["BankProbe_Bank_tTransfer"] = new TableOptions { CheckpointWhenCommit = true };
options.Tables["BankProbe_Bank_tMeta"] = new TableOptions { CheckpointWhenCommit = true };
// Warnings and errors to stderr (stdout carries the protocol); the global cache's start-up and faults too.
using var logs = LoggerFactory.Create(b => b
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Npgsql", LogLevel.Warning)); // every statement at Information would bury the framework's warnings
var app = new Application(options, logs);
app.DatabaseFactory.AddMySql().AddPostgres();
var bank = new ModuleBank(app);
await app.StartAsync();
var stdout = Console.Out;

if (mode == "verify")
{
    await Verify();
    return 0;
}

// Initialise once (durably: the meta record is flushed with the accounts), then count this run.
int run = 0;
long rc = -1;
// Several processes may start at once over a global cache: a refused acquire aborts the attempt, and the agent
// then fails fast for a moment; try again for up to 30 s.
var initUntil = DateTime.UtcNow.AddSeconds(30);
for (int attempt = 0; rc != 0 && (attempt == 0 || DateTime.UtcNow < initUntil); attempt++)
{
    if (attempt > 0) await Task.Delay(200);
    rc = await app.RunAsync(async () =>
    {
        var meta = await bank.tMeta.GetOrAddAsync(0);
        if (meta.Accounts == 0)
        {
            meta.Accounts = accounts;
            for (long a = 0; a < accounts; a++) (await bank.tAccount.GetOrAddAsync(a)).Balance = Initial;
        }
        meta.Runs += 1;
        run = meta.Runs;
        return 0;
    }, "init");
}
if (rc != 0) throw new InvalidOperationException($"init failed: {rc}");
int n = (await Meta()).Accounts;
stdout.WriteLine("READY");
stdout.Flush();

long next = 0;
var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
{
    var rnd = new Random(run * 1000 + w);
    while (true)
    {
        long id = ((long)run << 32) | (uint)Interlocked.Increment(ref next);
        long from = rnd.Next(n), to = rnd.Next(n);
        long amount = rnd.Next(1, 50);
        int fault = rnd.Next(100);
        long code = await app.RunAsync(async () =>
        {
            var a = (await bank.tAccount.GetAsync(from))!;
            var b = (await bank.tAccount.GetAsync(to))!;
            if (a.Balance < amount) return 1; // refuse to overdraw
            a.Balance -= amount;
            b.Balance += amount;
            await bank.tTransfer.InsertAsync(id, new BTransfer { From = from, To = to, Amount = amount });
            if (fault < 5) throw new InvalidOperationException("injected fault"); // must leave no trace
            if (fault < 10) return 2;
            return 0;
        }, "transfer");
        if (code == 0)
        {
            lock (stdout) stdout.WriteLine("ACK " + id.ToString(CultureInfo.InvariantCulture));
        }
    }
})).ToArray();
if (auditMs > 0)
{
    _ = Task.Run(async () =>
    {
        while (true)
        {
            await Task.Delay(auditMs);
            long total = 0;
            long audit = await app.RunAsync(async () =>
            {
                total = 0;
                for (long a = 0; a < n; a++) total += (await bank.tAccount.GetAsync(a))!.Balance;
                return 0;
            }, "audit");
            lock (stdout) stdout.WriteLine(audit == 0 ? "TOTAL " + total.ToString(CultureInfo.InvariantCulture) : "AUDIT-FAILED " + audit.ToString(CultureInfo.InvariantCulture));
        }
    });
}
// Flush acknowledgements often so the parent sees them before the kill.
while (true)
{
    await Task.Delay(5);
    lock (stdout) stdout.Flush();
}

async Task<BMeta> Meta()
{
    // Over a global cache the read waits until the GCM lets killed servers' keys go: retry for up to a minute.
    var deadline = DateTime.UtcNow.AddMinutes(1);
    while (true)
    {
        BMeta? meta = null;
        long code = await app.RunAsync(async () => { meta = (await bank.tMeta.GetAsync(0))?.Copy(); return 0; }, "meta");
        if (code == 0) return meta ?? new BMeta();
        if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"reading the meta record failed: {code}");
        await Task.Delay(50);
    }
}

async Task Verify()
{
    var meta = await Meta();
    var balances = new Dictionary<long, long>();
    await bank.tAccount.WalkAsync((k, v) => { balances[k] = v.Balance; return true; });
    var replay = Enumerable.Range(0, meta.Accounts).ToDictionary(i => (long)i, _ => Initial);
    long transfers = 0;
    await bank.tTransfer.WalkAsync((id, t) =>
    {
        replay[t.From] -= t.Amount;
        replay[t.To] += t.Amount;
        transfers++;
        stdout.WriteLine("TRANSFER " + id.ToString(CultureInfo.InvariantCulture));
        return true;
    });
    long total = balances.Values.Sum();
    string? problem = null;
    if (meta.Accounts > 0 && balances.Count != meta.Accounts) problem = $"{balances.Count} accounts, expected {meta.Accounts}";
    else if (total != meta.Accounts * Initial) problem = $"total {total} != {meta.Accounts * Initial}";
    else if (balances.Values.Any(b => b < 0)) problem = "an account is negative";
    else if (balances.Any(kv => replay[kv.Key] != kv.Value)) problem = "an account differs from the replay of the stored transfers";
    if (problem != null)
    {
        // What differs, and the stored transfers that touched it (their ids carry the run that made them).
        foreach (var (account, balance) in balances.Where(kv => replay.TryGetValue(kv.Key, out long r) && r != kv.Value))
        {
            stdout.WriteLine($"DIFF account={account} balance={balance} replay={replay[account]}");
            await bank.tTransfer.WalkAsync((id, t) =>
            {
                if (t.From == account || t.To == account)
                    stdout.WriteLine($"DIFF-TRANSFER account={account} run={id >> 32} seq={(uint)id} from={t.From} to={t.To} amount={t.Amount}");
                return true;
            });
        }
    }
    stdout.WriteLine(problem == null ? $"OK total={total} transfers={transfers} runs={meta.Runs}" : "FAIL " + problem);
    stdout.Flush();
    await app.StopAsync();
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
