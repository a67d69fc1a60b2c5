using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>Emits a typed table: its id and storage name, key encoding, and schema description.</summary>
    public static class TableEmitter
    {
        public static string Emit(TableDef t)
        {
            var w = new CodeWriter();
            w.Line(CodeWriter.Header);
            w.Open("namespace " + t.Module.FullName);
            w.Summary(t.Comment);
            string k = TypeCode.Cs(t.Key);
            string v = "global::" + t.Value.FullName;
            w.Open($"public sealed partial class {t.Name} : global::Zeze.Transaction.Table<{k}, {v}>");
            w.Line($"public const int TableId = {t.Id};");
            w.Line($"public const string TableName = {CodeWriter.Literal(t.StorageName)};");
            w.Line();
            w.Line($"public {t.Name}() : base(TableId, TableName) {{ }}");
            w.Line();
            w.Line($"public override bool IsMemory => {(t.Memory ? "true" : "false")};");
            w.Line($"public override bool IsAutoKey => {(t.AutoKey.Length > 0 ? "true" : "false")};");
            w.Line();
            w.Line($"public override void EncodeKey({TypeCode.BB} bb, {k} key) {{ {TypeCode.WriteKey(t.Key, "key")} }}");
            w.Line($"public override {k} DecodeKey({TypeCode.BB} bb) => {TypeCode.ReadKey(t.Key)};");
            w.Line();
            w.Line($"private static readonly global::Zeze.Transaction.Schemas.TableSchema s_schema = new(TableName, {CodeWriter.Literal(TypeCode.SchemaName(t.Key))}, {CodeWriter.Literal(t.Value.FullName)}, {(t.NoSchema ? "true" : "false")}, global::Zeze.Generated.ZezeSchemaCatalog.Beans);");
            w.Line("public override global::Zeze.Transaction.Schemas.TableSchema? Schema => s_schema;");
            if (t.AutoKey == "true")
            {
                w.Line();
                w.Line("/// <summary>Inserts <paramref name=\"value\"/> under a new key from this table's auto key and returns the key.</summary>");
                w.Open($"public async global::System.Threading.Tasks.ValueTask<long> InsertAsync({v} value)");
                w.Line("long key = await Application.AutoKeys.NextIdAsync(Name);");
                w.Line("await InsertAsync(key, value);");
                w.Line("return key;");
                w.Close();
            }
            else if (t.AutoKey == "random")
            {
                w.Line();
                w.Line("/// <summary>Inserts <paramref name=\"value\"/> under a new random key and returns the key.</summary>");
                w.Open($"public async global::System.Threading.Tasks.ValueTask<global::Zeze.Serialize.Binary> InsertAsync({v} value)");
                w.Line("var key = global::Zeze.Transaction.AutoKeys.NextRandomKey();");
                w.Line("await InsertAsync(key, value);");
                w.Line("return key;");
                w.Close();
            }
            w.Close();
            w.Close();
            return w.ToString();
        }
    }
}
