using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>Emits a protocol or rpc class with its ids (moduleId, protocolId, typeId) and transaction level.</summary>
    public static class ProtocolEmitter
    {
        public static string MessageType(BeanDef b) => b == null ? "global::Zeze.Transaction.EmptyBean" : "global::" + b.FullName;

        public static string Emit(ProtocolDef p)
        {
            var w = new CodeWriter();
            w.Line(CodeWriter.Header);
            w.Open("namespace " + p.Module.FullName);
            w.Summary(p.Comment);
            string arg = MessageType(p.Argument);
            string baseType = p.IsRpc
                ? (p.RpcBase ?? "global::Zeze.Net.Rpc") + $"<{arg}, {MessageType(p.Result)}>"
                : $"global::Zeze.Net.Protocol<{arg}>";
            w.Open($"public sealed partial class {p.Name} : {baseType}");
            w.Line($"public const int ModuleId_ = {p.Module.Id};");
            w.Line($"public const int ProtocolId_ = {p.Id};");
            w.Line($"public const long TypeId_ = {((long)p.Module.Id << 32) | (uint)p.Id}L;");
            w.Line();
            foreach (var e in p.Enums) EnumEmitter.Emit(w, e);
            w.Line("public override int ModuleId => ModuleId_;");
            w.Line("public override int ProtocolId => ProtocolId_;");
            w.Line($"public override global::Zeze.Transaction.TransactionLevel TransactionLevel => global::Zeze.Transaction.TransactionLevel.{p.TransactionLevel};");
            w.Line();
            if (p.RpcBase == null)
            {
                // The beans are created here, where their types are known (a plain allocation, not Activator).
                w.Line($"public {p.Name}() : base(new {arg}()) {{ }}");
                w.Line();
                w.Line($"public {p.Name}({arg} argument) : base(argument) {{ }}");
            }
            else
            {
                // A base class of the application's may not have the argument constructor.
                w.Line($"public {p.Name}() {{ }}");
                w.Line();
                w.Line($"public {p.Name}({arg} argument) {{ Argument = argument; }}");
            }
            if (p.IsRpc)
            {
                w.Line();
                w.Line($"protected override {MessageType(p.Result)} NewResult() => new {MessageType(p.Result)}();");
            }
            w.Close();
            w.Close();
            return w.ToString();
        }
    }
}
