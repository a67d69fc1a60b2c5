using System.Globalization;
using Microsoft.Extensions.Logging;
using ScaleOut.Shared;
using Zeze;
using Zeze.Storage;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;
using Zeze.Transaction;

// An app server for the scale-out tests: joins a GCM, shares a database with other servers, and runs what the test
// asks on stdin, one command per line, answering on stdout:
//   write K V         sets tValue[K] = V               -> "DONE <rc>"
//   write2 K1 K2 V    sets tValue[K1] = tValue[K2] = V in one transaction -> "DONE <rc>"
//   read K            reads tValue[K]                  -> "VALUE <rc> <v>" (v = -1 when absent)
//   pairs K1 K2       writes both keys to 1, 2, 3 ... in a loop (Table mode) -> "COMMIT <n>" after the first and every 100th
//   checkpoint        writes everything committed      -> "CHECKPOINTED"
//   stop              stops normally and exits 0       -> "STOPPED"
// Arguments: --db SPEC --gcm host:port[;host:port] --server-id N [--checkpoint-ms 200] [--keep-in-use]
//            [--gcm-name NAME] (the global cache's name for the database's in-use check, when --gcm is a proxy)
// "READY" once started. A failed start prints "START-FAILED <message>" and exits 3.
string db = Arg("--db") ?? throw new ArgumentException("--db is required");
string gcm = Arg("--gcm") ?? throw new ArgumentException("--gcm is required");
int serverId = int.Parse(Arg("--server-id") ?? throw new ArgumentException("--server-id is required"), CultureInfo.InvariantCulture);
int checkpointMs = int.Parse(Arg("--checkpoint-ms") ?? "200", CultureInfo.InvariantCulture);

var options = new ZezeOptions
{
    Name = "scale-out-" + serverId.ToString(CultureInfo.InvariantCulture),
    ServerId = serverId,
    GlobalCacheManagers = gcm,
    GlobalCacheName = Arg("--gcm-name") ?? "",
    // A killed server restarts with its id; --keep-in-use shows what happens without that.
    ClearInUseOnStart = !args.Contains("--keep-in-use"),
    CheckpointPeriod = TimeSpan.FromMilliseconds(checkpointMs),
};
options.Databases[""] = DatabaseOptions.Parse(db);
options.Tables["ScaleOut_Shared_tLog"] = new TableOptions { CheckpointWhenCommit = true };
// Logs go to stderr: stdout carries the answers.
using var logs = LoggerFactory.Create(b => b
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
    .SetMinimumLevel(LogLevel.Information));
var app = new Application(options, logs);
app.DatabaseFactory.AddMySql().AddPostgres();
var shared = new ModuleShared(app);
var stdout = Console.Out;
try
{
    await app.StartAsync();
}
catch (Exception e)
{
    Say("START-FAILED " + e.Message.ReplaceLineEndings(" "));
    return 3;
}
Say("READY");

Task? pairs = null;
while (Console.ReadLine() is { } line)
{
    string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (w.Length == 0) continue;
    switch (w[0])
    {
        case "write":
        {
            long k = L(w[1]), v = L(w[2]);
            long rc = await app.RunAsync(async () => { (await shared.tValue.GetOrAddAsync(k)).Value = v; return 0; }, "write");
            Say("DONE " + rc.ToString(CultureInfo.InvariantCulture));
            break;
        }
        case "write2":
        {
            long k1 = L(w[1]), k2 = L(w[2]), v = L(w[3]);
            long rc = await app.RunAsync(async () =>
            {
                (await shared.tValue.GetOrAddAsync(k1)).Value = v;
                (await shared.tValue.GetOrAddAsync(k2)).Value = v;
                return 0;
            }, "write2");
            Say("DONE " + rc.ToString(CultureInfo.InvariantCulture));
            break;
        }
        case "read":
        {
            long k = L(w[1]), v = -1;
            long rc = await app.RunAsync(async () => { v = (await shared.tValue.GetAsync(k))?.Value ?? -1; return 0; }, "read");
            Say($"VALUE {rc} {v}");
            break;
        }
        case "pairs":
        {
            long k1 = L(w[1]), k2 = L(w[2]);
            pairs ??= Task.Run(async () =>
            {
                for (long n = 1; ; n++)
                {
                    await Task.Yield(); // like a request handler: the agent's keep-alives get their turn
                    long value = n;
                    long rc = await app.RunAsync(async () =>
                    {
                        (await shared.tValue.GetOrAddAsync(k1)).Value = value;
                        (await shared.tValue.GetOrAddAsync(k2)).Value = value;
                        return 0;
                    }, "pair");
                    if (rc == 0 && (value == 1 || value % 100 == 0)) Say("COMMIT " + value.ToString(CultureInfo.InvariantCulture));
                }
            });
            break;
        }
        case "checkpoint":
            await app.CheckpointNowAsync();
            Say("CHECKPOINTED");
            break;
        case "stop":
            await app.StopAsync();
            Say("STOPPED");
            return 0;
        default:
            Say("UNKNOWN " + line);
            break;
    }
}
await app.StopAsync();
return 0;

void Say(string text)
{
    lock (stdout)
    {
        stdout.WriteLine(text);
        stdout.Flush();
    }
}

static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
