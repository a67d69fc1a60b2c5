using TestTx.Demo;
using Zeze.Serialize;
using Zeze.Storage;
using Zeze.Storage.Memory;
using Zeze.Transaction.Schemas;

namespace Zeze.Transaction.Tests;

/// <summary>Scenario T34: the stored schema refuses changes that lose or misread data, naming the table and field.</summary>
public class SchemaTests
{
    /// <summary>A table whose schema a test chooses (as if the code had been changed between two starts).</summary>
    private sealed class SchemaTable(TableSchema schema) : Table<long, Simple>(500, "schema_t")
    {
        public override TableSchema? Schema => schema;
        public override void EncodeKey(ByteBuffer bb, long key) => bb.WriteLong(key);
        public override long DecodeKey(ByteBuffer bb) => bb.ReadLong();
    }

    private static TableSchema Schema(params (int Id, string Name, string Type)[] vars) => Schema(vars, []);

    private static TableSchema Schema((int Id, string Name, string Type)[] vars, (int Id, string Name, string Type)[] keyVars)
    {
        var beans = new Dictionary<string, BeanSchema>
        {
            ["s.V"] = new("s.V", false, vars.Select(v => new VariableSchema(v.Id, v.Name, v.Type)).ToList()),
            ["s.K"] = new("s.K", true, keyVars.Select(v => new VariableSchema(v.Id, v.Name, v.Type)).ToList()),
            ["s.Inner"] = new("s.Inner", false, [new VariableSchema(1, "A", "int")]),
        };
        return new TableSchema("schema_t", "long", "s.V", false, beans);
    }

    private static async Task StartWith(string store, TableSchema schema)
    {
        var db = MemoryDatabase.Open(new DatabaseOptions { Kind = DatabaseKind.Memory, ConnectionString = store });
        var app = new Application(new ZezeOptions { CheckpointPeriod = TimeSpan.Zero, ClearInUseOnStart = true });
        app.AddDatabase(db);
        app.AddTable(new SchemaTable(schema));
        await app.StartAsync();
        await app.StopAsync();
    }

    private static async Task<string> Refused(string store, TableSchema schema)
    {
        var e = await Assert.ThrowsAsync<Application.SchemaIncompatibleException>(() => StartWith(store, schema));
        return e.Message;
    }

    [Fact]
    public async Task CompatibleChangesStartIncompatibleOnesAreRefusedByName()
    {
        string store = TestApp.NewStore();
        await StartWith(store, Schema((1, "a", "int"), (2, "b", "string"), (3, "c", "int"), (5, "e", "long")));
        // An added variable is fine; int -> long is a compatible widening.
        await StartWith(store, Schema((1, "a", "long"), (2, "b", "string"), (3, "c", "int"), (4, "d", "list[int]"), (5, "e", "long")));
        // int -> string loses data.
        string message = await Refused(store, Schema((1, "a", "long"), (2, "b", "string"), (3, "c", "string"), (4, "d", "list[int]"), (5, "e", "long")));
        Assert.Contains("table schema_t", message);
        Assert.Contains("variable 3 'c'", message);
        Assert.Contains("int to string", message);
        // Delete variable 5, then re-add it with another type: refused; with the same type: accepted.
        await StartWith(store, Schema((1, "a", "long"), (2, "b", "string"), (3, "c", "int"), (4, "d", "list[int]")));
        message = await Refused(store, Schema((1, "a", "long"), (2, "b", "string"), (3, "c", "int"), (4, "d", "list[int]"), (5, "e2", "string")));
        Assert.Contains("deleted variable 'e'", message);
        await StartWith(store, Schema((1, "a", "long"), (2, "b", "string"), (3, "c", "int"), (4, "d", "list[int]"), (5, "e", "long")));
        // Containers: list[int] -> set[int] is refused.
        message = await Refused(store, Schema((1, "a", "long"), (2, "b", "string"), (3, "c", "int"), (4, "d", "set[int]"), (5, "e", "long")));
        Assert.Contains("variable 4 'd'", message);
        MemoryDatabase.DropStore(store);
    }

    [Fact]
    public async Task BeanKeyUsedAsMapKeyCannotLoseAVariable()
    {
        string store = TestApp.NewStore();
        await StartWith(store, Schema([(1, "m", "map[s.K,int]")], [(1, "x", "int"), (2, "y", "string")]));
        string message = await Refused(store, Schema([(1, "m", "map[s.K,int]")], [(1, "x", "int")]));
        Assert.Contains("bean key s.K lost variable 2 'y'", message);
        MemoryDatabase.DropStore(store);
    }

    [Fact]
    public async Task NestedBeansAreComparedRecursively()
    {
        string store = TestApp.NewStore();
        await StartWith(store, Schema((1, "inner", "s.Inner")));
        var changed = Schema((1, "inner", "s.Inner"));
        var beans = new Dictionary<string, BeanSchema>(changed.Beans) { ["s.Inner"] = new("s.Inner", false, [new VariableSchema(1, "A", "binary")]) };
        string message = await Refused(store, changed with { Beans = beans });
        Assert.Contains("bean s.Inner variable 1 'A' changed from int to binary", message);
        MemoryDatabase.DropStore(store);
    }

    [Fact]
    public async Task GeneratedSchemaIsStoredAndAcceptedAgain()
    {
        string store = TestApp.NewStore();
        await using (await TestApp.StartAsync(store)) { }
        await using var again = await TestApp.StartAsync(store);
        Assert.True(again.App.IsRunning);
    }
}
