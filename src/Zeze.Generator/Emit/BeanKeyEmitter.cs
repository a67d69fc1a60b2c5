using System.Collections.Generic;
using System.Linq;
using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>
    /// Emits a bean key: an immutable class with value equality, hashing and a total order by fields in id order,
    /// encoded exactly like a bean. Usable as a table key, map key, set element or field.
    /// </summary>
    public static class BeanKeyEmitter
    {
        public static string Emit(BeanDef b)
        {
            var w = new CodeWriter();
            w.Line(CodeWriter.Header);
            w.Open("namespace " + b.Namespace);
            w.Summary(b.Comment);
            w.Open($"public sealed partial class {b.Name} : global::Zeze.Serialize.ISerializable, global::System.IEquatable<{b.Name}>, global::System.IComparable<{b.Name}>, global::System.IComparable");
            w.Line($"public const long TYPEID = {b.TypeId}L;");
            w.Line();
            foreach (var e in b.Enums) EnumEmitter.Emit(w, e);
            var vars = b.Variables.Where(v => v.Type != null).ToList();
            foreach (var v in vars) w.Line($"private {TypeCode.Cs(v.Type)} _{v.Name};");
            w.Line();
            w.Open($"public {b.Name}()");
            foreach (var v in vars) w.Line($"_{v.Name} = {TypeCode.Initial(v.Type, v.Default)};");
            w.Close();
            w.Line();
            if (vars.Count > 0)
            {
                w.Open($"public {b.Name}({string.Join(", ", vars.Select(v => TypeCode.Cs(v.Type) + " " + Param(v)))})");
                foreach (var v in vars)
                {
                    bool reference = v.Type.Kind == TypeKind.String || v.Type.Kind == TypeKind.Binary || v.Type.Kind == TypeKind.BeanKey;
                    w.Line(reference
                        ? $"_{v.Name} = {Param(v)} ?? throw new global::System.ArgumentNullException(nameof({Param(v)}));"
                        : $"_{v.Name} = {Param(v)};");
                }
                w.Close();
                w.Line();
            }
            foreach (var v in vars)
            {
                w.Summary(v.Comment);
                w.Line($"public {TypeCode.Cs(v.Type)} {v.Name} => _{v.Name};");
            }
            w.Line();
            Encode(w, vars);
            Decode(w, b, vars);
            Equality(w, b, vars);
            w.Open("public override string ToString()");
            w.Line($"return \"{b.FullName}(\" + {(vars.Count == 0 ? "\"\"" : string.Join(" + \", \" + ", vars.Select(v => $"\"{v.Name}=\" + _{v.Name}")))} + \")\";");
            w.Close();
            w.Close();
            w.Close();
            return w.ToString();
        }

        private static string Param(VariableDef v) => "@" + char.ToLowerInvariant(v.Name[0]) + v.Name.Substring(1);

        private static void Encode(CodeWriter w, List<VariableDef> vars)
        {
            w.Open($"public void Encode({TypeCode.BB} bb)");
            w.Line("int _i_ = 0;");
            foreach (var v in vars)
            {
                var t = v.Type;
                w.Open("");
                if (t.Kind == TypeKind.BeanKey)
                {
                    w.Line($"_i_ = bb.WriteBeanField(_i_, {v.Id}, _{v.Name});");
                }
                else if (t.Kind == TypeKind.Bool)
                {
                    w.Open($"if (_{v.Name})");
                    w.Line($"_i_ = bb.WriteTag(_i_, {v.Id}, {TypeCode.BB}.INTEGER);");
                    w.Line("bb.WriteByte(1);");
                    w.Close();
                }
                else
                {
                    w.Line($"var _x_ = _{v.Name};");
                    w.Open($"if ({TypeCode.NonDefault(t, "_x_")})");
                    w.Line($"_i_ = bb.WriteTag(_i_, {v.Id}, {TypeCode.Tag(t)});");
                    w.Line(TypeCode.Write(t, "_x_"));
                    w.Close();
                }
                w.Close();
            }
            w.Line("bb.WriteByte(0);");
            w.Close();
            w.Line();
        }

        private static void Decode(CodeWriter w, BeanDef b, List<VariableDef> vars)
        {
            w.Line("/// <summary>Reads a key into a new instance (keys are immutable once built; see BeanKeys.Decode).</summary>");
            w.Open($"void global::Zeze.Serialize.ISerializable.Decode({TypeCode.BB} bb)");
            w.Line("int _t_ = bb.ReadByte();");
            w.Line("int _i_ = bb.ReadTagSize(_t_);");
            foreach (var v in vars)
            {
                w.Line($"while ((_t_ & 0xff) > 1 && _i_ < {v.Id}) {{ bb.SkipUnknownField(_t_); _i_ += bb.ReadTagSize(_t_ = bb.ReadByte()); }}");
                w.Open($"if (_i_ == {v.Id})");
                w.Line($"_{v.Name} = {TypeCode.Read(v.Type, "_t_")};");
                w.Line("_i_ += bb.ReadTagSize(_t_ = bb.ReadByte());");
                w.Close();
                w.Line($"else _{v.Name} = {TypeCode.NaturalZero(v.Type)};");
            }
            w.Line("bb.SkipAllUnknownFields(_t_);");
            w.Close();
            w.Line();
        }

        private static void Equality(CodeWriter w, BeanDef b, List<VariableDef> vars)
        {
            w.Line($"public override bool Equals(object? obj) => obj is {b.Name} other && Equals(other);");
            w.Line();
            w.Open($"public bool Equals({b.Name}? other)");
            w.Line("if (other is null) return false;");
            foreach (var v in vars)
            {
                string cond = v.Type.Kind == TypeKind.Binary || v.Type.Kind == TypeKind.BeanKey
                    ? $"_{v.Name}.Equals(other._{v.Name})"
                    : $"_{v.Name} == other._{v.Name}";
                w.Line($"if (!({cond})) return false;");
            }
            w.Line("return true;");
            w.Close();
            w.Line();
            w.Open("public override int GetHashCode()");
            w.Line("var h = new global::System.HashCode();");
            foreach (var v in vars) w.Line($"h.Add(_{v.Name});");
            w.Line("return h.ToHashCode();");
            w.Close();
            w.Line();
            w.Open($"public int CompareTo({b.Name}? other)");
            w.Line("if (other is null) return 1;");
            w.Line("int c;");
            foreach (var v in vars)
            {
                string cmp = v.Type.Kind == TypeKind.String
                    ? $"string.CompareOrdinal(_{v.Name}, other._{v.Name})"
                    : $"_{v.Name}.CompareTo(other._{v.Name})";
                w.Line($"if ((c = {cmp}) != 0) return c;");
            }
            w.Line("return 0;");
            w.Close();
            w.Line();
            w.Line($"int global::System.IComparable.CompareTo(object? obj) => CompareTo(obj as {b.Name});");
            w.Line($"public static bool operator ==({b.Name}? a, {b.Name}? b) => a is null ? b is null : a.Equals(b);");
            w.Line($"public static bool operator !=({b.Name}? a, {b.Name}? b) => !(a == b);");
            w.Line();
        }
    }
}
