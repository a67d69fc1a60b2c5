using System.Collections.Generic;
using System.Linq;
using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>
    /// Emits the description of every bean (ids, names, types) that the application stores in its database at
    /// start and compares with the previous one, refusing changes that would lose or misread data.
    /// </summary>
    public static class SchemaCatalogEmitter
    {
        public static string Emit(IEnumerable<BeanDef> beans)
        {
            var w = new CodeWriter();
            w.Line(CodeWriter.Header);
            w.Open("namespace Zeze.Generated");
            w.Open("internal static class ZezeSchemaCatalog");
            w.Line("public static readonly global::System.Collections.Generic.IReadOnlyDictionary<string, global::Zeze.Transaction.Schemas.BeanSchema> Beans =");
            w.Indent();
            w.Open("new global::System.Collections.Generic.Dictionary<string, global::Zeze.Transaction.Schemas.BeanSchema>");
            foreach (var b in beans.OrderBy(x => x.FullName, System.StringComparer.Ordinal))
            {
                var vars = string.Join(", ", b.Variables.Where(v => v.Type != null && !v.Transient)
                    .Select(v => $"new({v.Id}, {CodeWriter.Literal(v.Name)}, {CodeWriter.Literal(TypeCode.SchemaName(v.Type))})"));
                w.Line($"[{CodeWriter.Literal(b.FullName)}] = new({CodeWriter.Literal(b.FullName)}, {(b.IsKey ? "true" : "false")}, new global::Zeze.Transaction.Schemas.VariableSchema[] {{ {vars} }}),");
            }
            w.Close(";");
            w.Outdent();
            w.Close();
            w.Close();
            return w.ToString();
        }
    }
}
