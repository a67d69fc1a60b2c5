using System.Buffers.Binary;
using Zeze.Storage;
using Zeze.Storage.MySql;
using Zeze.Storage.Postgres;

// Usage: Zeze.Storage.CrashProbe DB
// Commits batch after batch to the database named in the runner's --db syntax. Batch i puts key i into table
// "crash_a" and into "crash_b" and the value i under key "last" in "crash_a", then prints "committed i" once
// CommitAsync returned. The crash test kills this process with SIGKILL and checks that every batch it printed is
// in the database, whole, and that no batch is there in part.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Zeze.Storage.CrashProbe DB");
    return 2;
}

var factory = new DatabaseFactory().AddMySql().AddPostgres();
var options = DatabaseOptions.Parse(args[0], "crash");
await using var db = await factory.OpenAsync(options);
var a = await db.OpenTableAsync("crash_a");
var b = await db.OpenTableAsync("crash_b");
byte[] value = new byte[1000];
for (long i = 1; ; i++)
{
    byte[] key = new byte[8];
    BinaryPrimitives.WriteInt64BigEndian(key, i);
    BinaryPrimitives.WriteInt64BigEndian(value, i);
    await using var batch = db.BeginBatch();
    batch.Put(a, key, value);
    batch.Put(b, key, value);
    batch.Put(a, "last"u8, key);
    await batch.CommitAsync();
    Console.WriteLine($"committed {i}");
}
