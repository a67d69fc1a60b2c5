using System.Collections.Generic;
using System.Linq;
using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>
    /// Emits a transactional bean: properties that read through the current transaction's logs and write logs,
    /// Encode/Decode in Zeze's format, Copy, ToString, equality when asked for, change application, and the
    /// helpers of its dynamic fields.
    /// </summary>
    public static class BeanEmitter
    {
        private const string T = "global::Zeze.Transaction.";

        public static string Emit(BeanDef b)
        {
            var w = new CodeWriter();
            w.Line(CodeWriter.Header);
            w.Open("namespace " + b.Namespace);
            w.Summary(b.Comment);
            string bases = T + "Bean" + (b.EqualsMethods ? ", global::System.IEquatable<" + b.Name + ">" : "") + (b.Interface != null ? ", " + b.Interface : "");
            w.Open($"public sealed partial class {b.Name} : {bases}");
            w.Line($"public const long TYPEID = {b.TypeId}L;");
            w.Line("public override long TypeId => TYPEID;");
            w.Line();
            foreach (var e in b.Enums) EnumEmitter.Emit(w, e);
            var vars = b.Variables.Where(v => v.Type != null).ToList();
            foreach (var v in vars) Field(w, v);
            w.Line();
            Constructor(w, b, vars);
            foreach (var v in vars) Property(w, b, v);
            foreach (var v in vars) DynamicHelpers(w, b, v);
            Version(w, b, vars);
            Encode(w, vars);
            Decode(w, vars);
            Copy(w, b, vars);
            Binding(w, vars);
            BuildString(w, b, vars);
            if (b.EqualsMethods) Equality(w, b, vars);
            FollowerApply(w, vars);
            foreach (var v in vars) LogClass(w, b, v);
            w.Close();
            w.Close();
            return w.ToString();
        }

        private static bool IsValueField(VariableDef v) => v.Type.IsPrimitiveValue;

        private static string F(VariableDef v) => "_" + v.Name;

        private static void Field(CodeWriter w, VariableDef v)
        {
            var t = v.Type;
            if (t.IsCollection || t.Kind == TypeKind.Dynamic)
                w.Line($"private readonly {TypeCode.Cs(t)} {F(v)};");
            else
                w.Line($"private {TypeCode.Cs(t)} {F(v)};");
        }

        private static void Constructor(CodeWriter w, BeanDef b, List<VariableDef> vars)
        {
            w.Open($"public {b.Name}()");
            foreach (var v in vars)
            {
                var t = v.Type;
                if (t.IsCollection) w.Line($"{F(v)} = new();");
                else if (t.Kind == TypeKind.Dynamic) w.Line($"{F(v)} = {NewDynamic(v)}();");
                else w.Line($"{F(v)} = {TypeCode.Initial(t, v.Default)};");
            }
            w.Close();
            w.Line();
        }

        private static string NewDynamic(VariableDef v) => "NewDynamicBean_" + v.Name;

        private static void Property(CodeWriter w, BeanDef b, VariableDef v)
        {
            var t = v.Type;
            string cs = TypeCode.Cs(t);
            w.Summary(v.Comment);
            if (t.IsCollection || t.Kind == TypeKind.Dynamic)
            {
                w.Line($"public {cs} {v.Name} => {F(v)};");
                w.Line();
                return;
            }
            bool isVersion = v.Name == b.VersionVariable;
            w.Open($"public {cs} {v.Name}");
            w.Line($"get => IsManaged ? GetField({v.Id}, {F(v)}) : {F(v)};");
            if (isVersion)
            {
                // The framework sets the version when a transaction commits; it is read-only here.
                w.Close();
                w.Line();
                return;
            }
            w.Open("set");
            bool reference = t.Kind == TypeKind.String || t.Kind == TypeKind.Binary || t.Kind == TypeKind.Bean || t.Kind == TypeKind.BeanKey;
            if (reference) w.Line("NotNull(value);");
            if (t.Kind == TypeKind.Bean)
            {
                w.Open("if (IsManaged)");
                w.Line($"BindAssigned(value, {v.Id});");
                w.Line($"PutField(new Log_{v.Name}(this, value));");
                w.Close();
                w.Line($"else {F(v)} = value;");
            }
            else
            {
                w.Line($"if (IsManaged) PutField(new Log_{v.Name}(this, value));");
                w.Line($"else {F(v)} = value;");
            }
            w.Close();
            w.Close();
            w.Line();
        }

        // ---- dynamic ----

        /// <summary>Every dynamic in a variable (the field itself, or the elements/values of its collection).</summary>
        private static TypeRef DynamicOf(VariableDef v)
        {
            var t = v.Type;
            if (t.Kind == TypeKind.Dynamic) return t;
            if (t.IsCollection && t.Value.Kind == TypeKind.Dynamic) return t.Value;
            return null;
        }

        private static void DynamicHelpers(CodeWriter w, BeanDef b, VariableDef v)
        {
            var d = DynamicOf(v);
            if (d == null) return;
            string get = "GetSpecialTypeIdFromBean_" + v.Id;
            string create = "CreateBeanFromSpecialTypeId_" + v.Id;
            foreach (var dv in d.DynamicValues)
                w.Line($"public const long DynamicTypeId_{v.Name}_{dv.Bean.Name} = {Id(dv)}L;");
            w.Line();
            if (v.GetSpecialTypeIdHook != null)
            {
                w.Line($"public static long {get}(global::Zeze.Transaction.Bean bean) => {v.GetSpecialTypeIdHook}(bean);");
            }
            else
            {
                w.Open($"public static long {get}(global::Zeze.Transaction.Bean bean)");
                w.Open("return bean switch");
                foreach (var dv in d.DynamicValues)
                    w.Line($"global::{dv.Bean.FullName} => {Id(dv)}L,");
                w.Line($"_ => throw new global::System.ArgumentException($\"{{bean.GetType().FullName}} is not one of the types of dynamic field {v.Name} of {b.FullName}\", nameof(bean)),");
                w.Close(";");
                w.Close();
            }
            w.Line();
            if (v.CreateBeanHook != null)
            {
                w.Line($"public static global::Zeze.Transaction.Bean? {create}(long typeId) => {v.CreateBeanHook}(typeId);");
            }
            else
            {
                w.Open($"public static global::Zeze.Transaction.Bean? {create}(long typeId)");
                w.Open("return typeId switch");
                foreach (var dv in d.DynamicValues)
                    w.Line($"{Id(dv)}L => new global::{dv.Bean.FullName}(),");
                w.Line("_ => null,");
                w.Close(";");
                w.Close();
            }
            w.Line();
            w.Line($"public static {TypeCode.Dyn} {NewDynamic(v)}() => new {TypeCode.Dyn}({get}, {create});");
            w.Line();
            w.Open($"private static {TypeCode.Dyn} ReadDynamic_{v.Name}({TypeCode.BB} bb, int tag)");
            w.Line($"var d = {NewDynamic(v)}();");
            w.Line("d.Decode(bb, tag);");
            w.Line("return d;");
            w.Close();
            w.Line();
        }

        private static long Id(DynamicValue dv) => dv.SpecialId ?? dv.Bean.TypeId;

        // ---- version ----

        private static void Version(CodeWriter w, BeanDef b, List<VariableDef> vars)
        {
            var v = vars.FirstOrDefault(x => x.Name == b.VersionVariable);
            if (v == null) return;
            w.Line($"public override int VersionVariableId => {v.Id};");
            w.Line($"public override long GetVersionOnCommit() => {F(v)};");
            w.Line($"public override void SetVersionOnCommit(long version) => {F(v)} = version;");
            w.Line();
        }

        // ---- encode / decode ----

        private static void Encode(CodeWriter w, List<VariableDef> vars)
        {
            w.Open($"public override void Encode({TypeCode.BB} bb)");
            w.Line("int _i_ = 0;");
            foreach (var v in vars)
            {
                if (v.Transient) continue;
                var t = v.Type;
                w.Open("");
                switch (t.Kind)
                {
                    case TypeKind.Bean:
                    case TypeKind.BeanKey:
                        w.Line($"_i_ = bb.WriteBeanField(_i_, {v.Id}, {v.Name});");
                        break;
                    case TypeKind.Dynamic:
                        w.Line($"var _x_ = {F(v)};");
                        w.Open("if (!_x_.IsEmpty)");
                        w.Line($"_i_ = bb.WriteTag(_i_, {v.Id}, {TypeCode.BB}.DYNAMIC);");
                        w.Line("_x_.Encode(bb);");
                        w.Close();
                        break;
                    case TypeKind.List:
                    case TypeKind.Set:
                        w.Line($"var _x_ = {F(v)}.Value;");
                        w.Line("int _n_ = _x_.Count;");
                        w.Open("if (_n_ != 0)");
                        w.Line($"_i_ = bb.WriteTag(_i_, {v.Id}, {TypeCode.BB}.LIST);");
                        w.Line($"bb.WriteListType(_n_, {TypeCode.Tag(t.Value)});");
                        w.Line("foreach (var _e_ in _x_) " + TypeCode.Write(t.Value, "_e_"));
                        w.Close();
                        break;
                    case TypeKind.Map:
                        w.Line($"var _x_ = {F(v)}.Value;");
                        w.Line("int _n_ = _x_.Count;");
                        w.Open("if (_n_ != 0)");
                        w.Line($"_i_ = bb.WriteTag(_i_, {v.Id}, {TypeCode.BB}.MAP);");
                        w.Line($"bb.WriteMapType(_n_, {TypeCode.Tag(t.Key)}, {TypeCode.Tag(t.Value)});");
                        w.Open("foreach (var _e_ in _x_)");
                        w.Line(TypeCode.Write(t.Key, "_e_.Key"));
                        w.Line(TypeCode.Write(t.Value, "_e_.Value"));
                        w.Close();
                        w.Close();
                        break;
                    case TypeKind.Bool:
                        w.Open($"if ({v.Name})");
                        w.Line($"_i_ = bb.WriteTag(_i_, {v.Id}, {TypeCode.BB}.INTEGER);");
                        w.Line("bb.WriteByte(1);");
                        w.Close();
                        break;
                    default:
                        w.Line($"var _x_ = {v.Name};");
                        w.Open($"if ({TypeCode.NonDefault(t, "_x_")})");
                        w.Line($"_i_ = bb.WriteTag(_i_, {v.Id}, {TypeCode.Tag(t)});");
                        w.Line(TypeCode.Write(t, "_x_"));
                        w.Close();
                        break;
                }
                w.Close();
            }
            w.Line("bb.WriteByte(0);");
            w.Close();
            w.Line();
        }

        private static void Decode(CodeWriter w, List<VariableDef> vars)
        {
            w.Open($"public override void Decode({TypeCode.BB} bb)");
            w.Line("ThrowIfManagedForDecode();");
            w.Line("int _t_ = bb.ReadByte();");
            w.Line("int _i_ = bb.ReadTagSize(_t_);");
            foreach (var v in vars)
            {
                if (v.Transient) continue;
                var t = v.Type;
                w.Line($"while ((_t_ & 0xff) > 1 && _i_ < {v.Id}) {{ bb.SkipUnknownField(_t_); _i_ += bb.ReadTagSize(_t_ = bb.ReadByte()); }}");
                w.Open($"if (_i_ == {v.Id})");
                DecodeField(w, v);
                w.Line("_i_ += bb.ReadTagSize(_t_ = bb.ReadByte());");
                w.Close();
                // Absent: collections are empty; a field with a schema default gets the natural zero (Zeze's rule:
                // the writer omitted the natural zero, not the default).
                if (t.IsCollection)
                    w.Line($"else {F(v)}.SetUnmanaged({TypeCode.Immutable(t)}<{ElementTypes(t)}>.Empty);");
                else if (v.Default != null)
                    w.Line($"else {F(v)} = {TypeCode.NaturalZero(t)};");
            }
            w.Line("bb.SkipAllUnknownFields(_t_);");
            w.Close();
            w.Line();
        }

        private static string ElementTypes(TypeRef t) =>
            t.Kind == TypeKind.Map ? TypeCode.Cs(t.Key) + ", " + TypeCode.Cs(t.Value) : TypeCode.Cs(t.Value);

        private static void DecodeField(CodeWriter w, VariableDef v)
        {
            var t = v.Type;
            string dyn = "ReadDynamic_" + v.Name;
            switch (t.Kind)
            {
                case TypeKind.Dynamic:
                    w.Line($"{F(v)}.Decode(bb, _t_);");
                    break;
                case TypeKind.List:
                case TypeKind.Set:
                    w.Line("int _n_ = bb.ReadListHeader(_t_, out int _et_);");
                    w.Line($"var _b_ = {TypeCode.Immutable(t)}.CreateBuilder<{TypeCode.Cs(t.Value)}>();");
                    w.Line($"for (; _n_ > 0; _n_--) _b_.Add({TypeCode.Read(t.Value, "_et_", dyn)});");
                    w.Line($"{F(v)}.SetUnmanaged(_b_.ToImmutable());");
                    break;
                case TypeKind.Map:
                    w.Line("int _n_ = bb.ReadMapHeader(_t_, out int _kt_, out int _vt_);");
                    w.Line($"var _b_ = {TypeCode.Immutable(t)}.CreateBuilder<{TypeCode.Cs(t.Key)}, {TypeCode.Cs(t.Value)}>();");
                    w.Open("for (; _n_ > 0; _n_--)");
                    w.Line($"var _k_ = {TypeCode.Read(t.Key, "_kt_")};");
                    w.Line($"_b_[_k_] = {TypeCode.Read(t.Value, "_vt_", dyn)};");
                    w.Close();
                    w.Line($"{F(v)}.SetUnmanaged(_b_.ToImmutable());");
                    break;
                default:
                    w.Line($"{F(v)} = {TypeCode.Read(t, "_t_")};");
                    break;
            }
        }

        // ---- copy ----

        private static void Copy(CodeWriter w, BeanDef b, List<VariableDef> vars)
        {
            w.Line("/// <summary>A deep, unmanaged copy as seen by the current transaction.</summary>");
            w.Open($"public {b.Name} Copy()");
            w.Line($"var c = new {b.Name}();");
            foreach (var v in vars)
            {
                var t = v.Type;
                switch (t.Kind)
                {
                    case TypeKind.Bean:
                        w.Line($"c.{F(v)} = {v.Name}.Copy();");
                        break;
                    case TypeKind.Dynamic:
                        w.Line($"c.{F(v)}.CopyFrom({F(v)});");
                        break;
                    case TypeKind.List:
                    case TypeKind.Set:
                        if (TypeCode.IsBeanLike(t.Value))
                        {
                            w.Open("");
                            w.Line($"var _b_ = {TypeCode.Immutable(t)}.CreateBuilder<{TypeCode.Cs(t.Value)}>();");
                            w.Line($"foreach (var _e_ in {F(v)}.Value) _b_.Add(({TypeCode.Cs(t.Value)})_e_.CopyBean());");
                            w.Line($"c.{F(v)}.SetUnmanaged(_b_.ToImmutable());");
                            w.Close();
                        }
                        else
                        {
                            w.Line($"c.{F(v)}.SetUnmanaged({F(v)}.Value);");
                        }
                        break;
                    case TypeKind.Map:
                        if (TypeCode.IsBeanLike(t.Value))
                        {
                            w.Open("");
                            w.Line($"var _b_ = {TypeCode.Immutable(t)}.CreateBuilder<{TypeCode.Cs(t.Key)}, {TypeCode.Cs(t.Value)}>();");
                            w.Line($"foreach (var _e_ in {F(v)}.Value) _b_.Add(_e_.Key, ({TypeCode.Cs(t.Value)})_e_.Value.CopyBean());");
                            w.Line($"c.{F(v)}.SetUnmanaged(_b_.ToImmutable());");
                            w.Close();
                        }
                        else
                        {
                            w.Line($"c.{F(v)}.SetUnmanaged({F(v)}.Value);");
                        }
                        break;
                    default:
                        w.Line($"c.{F(v)} = {v.Name};");
                        break;
                }
            }
            w.Line("return c;");
            w.Close();
            w.Line();
            w.Line($"public override {T}Bean CopyBean() => Copy();");
            w.Line();
        }

        // ---- binding ----

        private static void Binding(CodeWriter w, List<VariableDef> vars)
        {
            var children = vars.Where(v => v.Type.Kind == TypeKind.Bean || v.Type.IsCollection || v.Type.Kind == TypeKind.Dynamic).ToList();
            w.Open($"protected override void InitChildrenRootInfo({T}Record root)");
            foreach (var v in children) w.Line($"{F(v)}.InitRootInfo(root, this, {v.Id});");
            w.Close();
            w.Line();
            w.Open("protected override void ResetChildrenRootInfo()");
            foreach (var v in children) w.Line($"{F(v)}.ResetRootInfo();");
            w.Close();
            w.Line();
        }

        // ---- string ----

        private static void BuildString(CodeWriter w, BeanDef b, List<VariableDef> vars)
        {
            w.Open("public override void BuildString(global::System.Text.StringBuilder sb, int level)");
            w.Line($"sb.Append(\"{b.FullName}: {{\").Append('\\n');");
            for (int i = 0; i < vars.Count; i++)
            {
                var v = vars[i];
                string sep = i < vars.Count - 1 ? ",\\n" : "\\n";
                w.Line($"Indent(sb, level + 1); sb.Append(\"{v.Name}=\");");
                if (v.Type.Kind == TypeKind.Bean || v.Type.Kind == TypeKind.Dynamic)
                    w.Line($"{(v.Type.Kind == TypeKind.Bean ? v.Name : F(v))}.BuildString(sb, level + 1);");
                else if (v.Type.IsCollection)
                    w.Line($"sb.Append({F(v)}.ToString());");
                else
                    w.Line($"sb.Append({v.Name});");
                w.Line($"sb.Append(\"{sep}\");");
            }
            w.Line("Indent(sb, level); sb.Append('}');");
            w.Close();
            w.Line();
        }

        // ---- equality ----

        private static void Equality(CodeWriter w, BeanDef b, List<VariableDef> vars)
        {
            w.Line($"public override bool Equals(object? obj) => obj is {b.Name} other && Equals(other);");
            w.Line();
            w.Open($"public bool Equals({b.Name}? other)");
            w.Line("if (other is null) return false;");
            w.Line("if (ReferenceEquals(this, other)) return true;");
            foreach (var v in vars)
            {
                var t = v.Type;
                string cond;
                switch (t.Kind)
                {
                    case TypeKind.List: cond = $"global::System.Linq.Enumerable.SequenceEqual({F(v)}.Value, other.{F(v)}.Value)"; break;
                    case TypeKind.Set: cond = $"{F(v)}.Value.SetEquals(other.{F(v)}.Value)"; break;
                    case TypeKind.Map: cond = $"global::Zeze.Transaction.Collections.CollectionEquality.MapEquals({F(v)}.Value, other.{F(v)}.Value)"; break;
                    case TypeKind.Dynamic: cond = $"{F(v)}.Equals(other.{F(v)})"; break;
                    case TypeKind.Float:
                    case TypeKind.Double:
                    case TypeKind.Bean:
                    case TypeKind.BeanKey:
                    case TypeKind.Binary: cond = $"{v.Name}.Equals(other.{v.Name})"; break;
                    default: cond = $"{v.Name} == other.{v.Name}"; break;
                }
                w.Line($"if (!({cond})) return false;");
            }
            w.Line("return true;");
            w.Close();
            w.Line();
            w.Open("public override int GetHashCode()");
            w.Line("var h = new global::System.HashCode();");
            foreach (var v in vars)
            {
                if (v.Type.IsCollection) w.Line($"h.Add({F(v)}.Count);");
                else if (v.Type.Kind == TypeKind.Dynamic) w.Line($"h.Add({F(v)}.DynamicTypeId);");
                else w.Line($"h.Add({v.Name});");
            }
            w.Line("return h.ToHashCode();");
            w.Close();
            w.Line();
        }

        // ---- change logs ----

        private static void FollowerApply(CodeWriter w, List<VariableDef> vars)
        {
            w.Open($"public override void FollowerApply({T}Log log)");
            w.Line($"if (log is not {T}BeanChanges changes) return;");
            w.Open("foreach (var kv in changes.Variables)");
            w.Open("switch (kv.Key)");
            foreach (var v in vars)
            {
                var t = v.Type;
                string cs = TypeCode.Cs(t);
                switch (t.Kind)
                {
                    case TypeKind.Bean:
                        w.Line($"case {v.Id}: if (kv.Value is {T}Log<{cs}> r{v.Id}) {F(v)} = r{v.Id}.Value.Copy(); else {F(v)}.FollowerApply(kv.Value); break;");
                        break;
                    case TypeKind.Dynamic:
                        w.Line($"case {v.Id}: {F(v)}.FollowerApply(kv.Value); break;");
                        break;
                    case TypeKind.List:
                        w.Line($"case {v.Id}: {F(v)}.FollowerApply(({TypeCode.Coll}LogList<{TypeCode.Cs(t.Value)}>)kv.Value{(TypeCode.IsBeanLike(t.Value) ? ", static (e, l) => e.FollowerApply(l)" : "")}); break;");
                        break;
                    case TypeKind.Set:
                        w.Line($"case {v.Id}: {F(v)}.FollowerApply(({TypeCode.Coll}LogSet<{TypeCode.Cs(t.Value)}>)kv.Value); break;");
                        break;
                    case TypeKind.Map:
                        w.Line($"case {v.Id}: {F(v)}.FollowerApply(({TypeCode.Coll}LogMap<{TypeCode.Cs(t.Key)}, {TypeCode.Cs(t.Value)}>)kv.Value{(TypeCode.IsBeanLike(t.Value) ? ", static (e, l) => e.FollowerApply(l)" : "")}); break;");
                        break;
                    default:
                        w.Line($"case {v.Id}: {F(v)} = (({T}Log<{cs}>)kv.Value).Value; break;");
                        break;
                }
            }
            w.Close();
            w.Close();
            w.Close();
            w.Line();
        }

        private static void LogClass(CodeWriter w, BeanDef b, VariableDef v)
        {
            var t = v.Type;
            if (t.IsCollection || t.Kind == TypeKind.Dynamic) return;
            string cs = TypeCode.Cs(t);
            w.Open($"private sealed class Log_{v.Name} : {T}Log<{cs}>");
            w.Line($"public Log_{v.Name}({b.Name} belong, {cs} value) : base(belong, {v.Id}, value) {{ }}");
            w.Line($"public override void Commit() => (({b.Name})Belong!).{F(v)} = Value;");
            w.Close();
            w.Line();
        }
    }
}
