using System.Collections.Generic;
using System.Linq;
using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>
    /// Emits the partial module class: its id and enums, its tables (registered with the application), and a
    /// partial handler method per protocol this side handles — the compiler then insists on an implementation.
    /// </summary>
    public static class ModuleEmitter
    {
        public static string Emit(ModuleDef m, int sideFlags, IReadOnlyList<ProtocolDef> referenced)
        {
            var w = new CodeWriter();
            w.Line(CodeWriter.Header);
            w.Open("namespace " + m.FullName);
            w.Open($"public sealed partial class {m.ClassName} : global::Zeze.AppModule");
            w.Line($"public const int ModuleId = {m.Id};");
            w.Line($"public const string ModuleFullName = {CodeWriter.Literal(m.FullName)};");
            w.Line();
            foreach (var e in m.Enums) EnumEmitter.Emit(w, e);
            w.Line("public override int Id => ModuleId;");
            w.Line("public override string FullName => ModuleFullName;");
            w.Line();
            foreach (var t in m.Tables)
            {
                w.Summary(t.Comment);
                w.Line($"public global::{m.FullName}.{t.Name} {t.Name} {{ get; }}");
            }
            if (m.Tables.Count > 0) w.Line();
            w.Open($"public {m.ClassName}(global::Zeze.Application app) : base(app)");
            foreach (var t in m.Tables) w.Line($"{t.Name} = app.AddTable(new global::{m.FullName}.{t.Name}());");
            w.Line("OnCreated();");
            w.Close();
            w.Line();
            w.Line("/// <summary>Called at the end of the constructor: initialise your own fields here.</summary>");
            w.Line("partial void OnCreated();");
            w.Line();
            var all = m.Protocols.Concat(referenced).ToList();
            var handled = all.Where(p => (p.Handle & sideFlags & (HandleFlags.Server | HandleFlags.Client)) != 0).ToList();
            foreach (var p in handled)
            {
                w.Line(p.IsRpc
                    ? $"/// <summary>Handles a request of <see cref=\"global::{p.FullName}\"/>: set its Result (or return a non-zero code, sent back as the result code).</summary>"
                    : $"/// <summary>Handles <see cref=\"global::{p.FullName}\"/>. Return 0 on success.</summary>");
                w.Line($"private partial global::System.Threading.Tasks.ValueTask<long> {HandlerName(p)}(global::{p.FullName} {(p.IsRpc ? "rpc" : "p")});");
                w.Line();
            }
            w.Open("public override global::System.Collections.Generic.IReadOnlyList<global::System.Collections.Generic.KeyValuePair<long, global::Zeze.Net.ProtocolFactoryHandle>> GetProtocolHandles()");
            w.Open("return new global::System.Collections.Generic.KeyValuePair<long, global::Zeze.Net.ProtocolFactoryHandle>[]");
            foreach (var p in all)
            {
                bool handles = handled.Contains(p);
                if (!handles && !p.IsRpc) continue; // nothing to do with a protocol this side only sends
                string handler = handles ? $"p => {HandlerName(p)}((global::{p.FullName})p)" : "null";
                w.Line($"new(global::{p.FullName}.TypeId_, new global::Zeze.Net.ProtocolFactoryHandle(static () => new global::{p.FullName}(), {handler}, global::Zeze.Transaction.TransactionLevel.{p.TransactionLevel}, {CodeWriter.Literal(p.FullName)})),");
            }
            w.Close(";");
            w.Close();
            w.Close();
            w.Close();
            return w.ToString();
        }

        public static string HandlerName(ProtocolDef p) => "Process" + p.Name + (p.IsRpc ? "RequestAsync" : "Async");
    }
}
