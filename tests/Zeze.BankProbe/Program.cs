using System.Globalization;
using BankProbe.Bank;
using Zeze;
using Zeze.Storage;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;
using Zeze.Transaction;

// A bank that crash tests run and kill with SIGKILL.
//   run    --db SPEC [--accounts N] [--workers W] [--server-id S]   transfers until killed; prints "ACK <id>" per
//          acknowledged transfer (durable: the transfer log is flushed on commit, together with both accounts).
//   verify --db SPEC                                                prints "TRANSFER <id>" per stored transfer, then
//          "OK total=<t>" or "FAIL <reason>".
const long Initial = 1000;
string mode = args.Length > 0 ? args[0] : throw new ArgumentException("run or verify");
string db = Arg("--db") ?? throw new ArgumentException("--db is required");
int accounts = int.Parse(Arg("--accounts") ?? "100", CultureInfo.InvariantCulture);
int workers = int.Parse(Arg("--workers") ?? "8", CultureInfo.InvariantCulture);
int serverId = int.Parse(Arg("--server-id") ?? "0", CultureInfo.InvariantCulture);

var options = new ZezeOptions { Name = "bank-probe", ServerId = serverId, ClearInUseOnStart = true, CheckpointPeriod = TimeSpan.FromMilliseconds(200) };
options.Databases[""] = DatabaseOptions.Parse(db);
// The transfer log and the meta record are flushed when their transaction commits.
options.Tables["BankProbe_Bank_tTransfer"] = new TableOptions { CheckpointWhenCommit = true };
options.Tables["BankProbe_Bank_tMeta"] = new TableOptions { CheckpointWhenCommit = true };
var app = new Application(options);
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
long rc = await app.RunAsync(async () =>
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
// Flush acknowledgements often so the parent sees them before the kill.
while (true)
{
    await Task.Delay(5);
    lock (stdout) stdout.Flush();
}

async Task<BMeta> Meta()
{
    BMeta? meta = null;
    await app.RunAsync(async () => { meta = (await bank.tMeta.GetAsync(0))?.Copy(); return 0; }, "meta");
    return meta ?? new BMeta();
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
    stdout.WriteLine(problem == null ? $"OK total={total} transfers={transfers} runs={meta.Runs}" : "FAIL " + problem);
    stdout.Flush();
    await app.StopAsync();
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
