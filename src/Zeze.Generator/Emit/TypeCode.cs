using System;
using System.Globalization;
using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>How each schema type is spelled, tagged, written and read in generated C#.</summary>
    public static class TypeCode
    {
        public const string BB = "global::Zeze.Serialize.ByteBuffer";
        public const string Coll = "global::Zeze.Transaction.Collections.";
        public const string Dyn = "global::Zeze.Transaction.DynamicBean";

        public static string Cs(TypeRef t)
        {
            switch (t.Kind)
            {
                case TypeKind.Bool: return "bool";
                case TypeKind.Byte: return "byte";
                case TypeKind.Short: return "short";
                case TypeKind.Int: return "int";
                case TypeKind.Long: return "long";
                case TypeKind.Float: return "float";
                case TypeKind.Double: return "double";
                case TypeKind.Binary: return "global::Zeze.Serialize.Binary";
                case TypeKind.String: return "string";
                case TypeKind.Decimal: return "decimal";
                case TypeKind.Vector2: return "global::Zeze.Serialize.Vector2";
                case TypeKind.Vector2Int: return "global::Zeze.Serialize.Vector2Int";
                case TypeKind.Vector3: return "global::Zeze.Serialize.Vector3";
                case TypeKind.Vector3Int: return "global::Zeze.Serialize.Vector3Int";
                case TypeKind.Vector4: return "global::Zeze.Serialize.Vector4";
                case TypeKind.Quaternion: return "global::Zeze.Serialize.Quaternion";
                case TypeKind.Bean:
                case TypeKind.BeanKey: return "global::" + t.Bean.FullName;
                case TypeKind.Dynamic: return Dyn;
                case TypeKind.List: return Coll + (IsBeanLike(t.Value) ? "CollList2<" : "CollList1<") + Cs(t.Value) + ">";
                case TypeKind.Set: return Coll + "CollSet1<" + Cs(t.Value) + ">";
                case TypeKind.Map: return Coll + (IsBeanLike(t.Value) ? "CollMap2<" : "CollMap1<") + Cs(t.Key) + ", " + Cs(t.Value) + ">";
                default: throw new InvalidOperationException(t.Kind.ToString());
            }
        }

        /// <summary>Beans and dynamic values are bound to their container; everything else is a plain value.</summary>
        public static bool IsBeanLike(TypeRef t) => t.Kind == TypeKind.Bean || t.Kind == TypeKind.Dynamic;

        /// <summary>Immutable collection type of a collection's content.</summary>
        public static string Immutable(TypeRef t)
        {
            switch (t.Kind)
            {
                case TypeKind.List: return "global::System.Collections.Immutable.ImmutableList";
                case TypeKind.Set: return "global::System.Collections.Immutable.ImmutableHashSet";
                default: return "global::System.Collections.Immutable.ImmutableDictionary";
            }
        }

        public static string Tag(TypeRef t)
        {
            switch (t.Kind)
            {
                case TypeKind.Bool:
                case TypeKind.Byte:
                case TypeKind.Short:
                case TypeKind.Int:
                case TypeKind.Long: return BB + ".INTEGER";
                case TypeKind.Float: return BB + ".FLOAT";
                case TypeKind.Double: return BB + ".DOUBLE";
                case TypeKind.Binary:
                case TypeKind.String:
                case TypeKind.Decimal: return BB + ".BYTES";
                case TypeKind.List:
                case TypeKind.Set: return BB + ".LIST";
                case TypeKind.Map: return BB + ".MAP";
                case TypeKind.Bean:
                case TypeKind.BeanKey: return BB + ".BEAN";
                case TypeKind.Dynamic: return BB + ".DYNAMIC";
                case TypeKind.Vector2: return BB + ".VECTOR2";
                case TypeKind.Vector2Int: return BB + ".VECTOR2INT";
                case TypeKind.Vector3: return BB + ".VECTOR3";
                case TypeKind.Vector3Int: return BB + ".VECTOR3INT";
                case TypeKind.Vector4:
                case TypeKind.Quaternion: return BB + ".VECTOR4";
                default: throw new InvalidOperationException(t.Kind.ToString());
            }
        }

        /// <summary>Statement writing a value without a tag (collection elements, keys).</summary>
        public static string Write(TypeRef t, string x, string bb = "bb")
        {
            switch (t.Kind)
            {
                case TypeKind.Bool: return $"{bb}.WriteBool({x});";
                case TypeKind.Byte:
                case TypeKind.Short:
                case TypeKind.Int:
                case TypeKind.Long: return $"{bb}.WriteLong({x});";
                case TypeKind.Float: return $"{bb}.WriteFloat({x});";
                case TypeKind.Double: return $"{bb}.WriteDouble({x});";
                case TypeKind.Binary: return $"{bb}.WriteBinary({x});";
                case TypeKind.String: return $"{bb}.WriteString({x});";
                case TypeKind.Decimal: return $"{bb}.WriteDecimal({x});";
                case TypeKind.Vector2: return $"{bb}.WriteVector2({x});";
                case TypeKind.Vector2Int: return $"{bb}.WriteVector2Int({x});";
                case TypeKind.Vector3: return $"{bb}.WriteVector3({x});";
                case TypeKind.Vector3Int: return $"{bb}.WriteVector3Int({x});";
                case TypeKind.Vector4: return $"{bb}.WriteVector4({x});";
                case TypeKind.Quaternion: return $"{bb}.WriteQuaternion({x});";
                case TypeKind.Bean:
                case TypeKind.BeanKey:
                case TypeKind.Dynamic: return $"{x}.Encode({bb});";
                default: throw new InvalidOperationException(t.Kind.ToString());
            }
        }

        /// <summary>Expression reading a value whose wire type is in <paramref name="tag"/> (with type conversions).</summary>
        public static string Read(TypeRef t, string tag, string dynamicFactory = null, string bb = "bb")
        {
            switch (t.Kind)
            {
                case TypeKind.Bool: return $"{bb}.ReadBool({tag})";
                case TypeKind.Byte: return $"{bb}.ReadByte({tag})";
                case TypeKind.Short: return $"{bb}.ReadShort({tag})";
                case TypeKind.Int: return $"{bb}.ReadInt({tag})";
                case TypeKind.Long: return $"{bb}.ReadLong({tag})";
                case TypeKind.Float: return $"{bb}.ReadFloat({tag})";
                case TypeKind.Double: return $"{bb}.ReadDouble({tag})";
                case TypeKind.Binary: return $"{bb}.ReadBinary({tag})";
                case TypeKind.String: return $"{bb}.ReadString({tag})";
                case TypeKind.Decimal: return $"{bb}.ReadDecimal({tag})";
                case TypeKind.Vector2: return $"{bb}.ReadVector2({tag})";
                case TypeKind.Vector2Int: return $"{bb}.ReadVector2Int({tag})";
                case TypeKind.Vector3: return $"{bb}.ReadVector3({tag})";
                case TypeKind.Vector3Int: return $"{bb}.ReadVector3Int({tag})";
                case TypeKind.Vector4: return $"{bb}.ReadVector4({tag})";
                case TypeKind.Quaternion: return $"{bb}.ReadQuaternion({tag})";
                case TypeKind.Bean:
                case TypeKind.BeanKey: return $"{bb}.ReadBean(new {Cs(t)}(), {tag})";
                case TypeKind.Dynamic: return $"{dynamicFactory}({bb}, {tag})";
                default: throw new InvalidOperationException(t.Kind.ToString());
            }
        }

        /// <summary>Statement writing a table key (no tag).</summary>
        public static string WriteKey(TypeRef t, string x) => Write(t, x);

        /// <summary>Expression reading a table key (no tag).</summary>
        public static string ReadKey(TypeRef t)
        {
            switch (t.Kind)
            {
                case TypeKind.Bool: return "bb.ReadBool()";
                case TypeKind.Byte: return "(byte)bb.ReadLong()";
                case TypeKind.Short: return "bb.ReadShort()";
                case TypeKind.Int: return "bb.ReadInt()";
                case TypeKind.Long: return "bb.ReadLong()";
                case TypeKind.Binary: return "bb.ReadBinary()";
                case TypeKind.String: return "bb.ReadString()";
                case TypeKind.Decimal: return "bb.ReadDecimal()";
                case TypeKind.Vector2: return "bb.ReadVector2()";
                case TypeKind.Vector2Int: return "bb.ReadVector2Int()";
                case TypeKind.Vector3: return "bb.ReadVector3()";
                case TypeKind.Vector3Int: return "bb.ReadVector3Int()";
                case TypeKind.Vector4: return "bb.ReadVector4()";
                case TypeKind.Quaternion: return "bb.ReadQuaternion()";
                case TypeKind.BeanKey: return $"global::Zeze.Transaction.BeanKeys.Decode<{Cs(t)}>(bb)";
                default: throw new InvalidOperationException(t.Kind.ToString());
            }
        }

        /// <summary>The condition under which a field is written (Zeze omits natural zeros).</summary>
        public static string NonDefault(TypeRef t, string x)
        {
            switch (t.Kind)
            {
                case TypeKind.Bool: return x;
                case TypeKind.Binary: return $"{x}.Count != 0";
                case TypeKind.String: return $"{x}.Length != 0";
                case TypeKind.Vector2:
                case TypeKind.Vector2Int:
                case TypeKind.Vector3:
                case TypeKind.Vector3Int:
                case TypeKind.Vector4:
                case TypeKind.Quaternion: return $"{x} != default";
                default: return $"{x} != 0";
            }
        }

        /// <summary>Initial value of a field: the schema default or the natural zero.</summary>
        public static string Initial(TypeRef t, string schemaDefault)
        {
            if (schemaDefault != null) return DefaultLiteral(t, schemaDefault);
            return NaturalZero(t);
        }

        public static string NaturalZero(TypeRef t)
        {
            switch (t.Kind)
            {
                case TypeKind.Bool: return "false";
                case TypeKind.Binary: return "global::Zeze.Serialize.Binary.Empty";
                case TypeKind.String: return "\"\"";
                case TypeKind.Bean:
                case TypeKind.BeanKey: return $"new {Cs(t)}()";
                case TypeKind.Vector2:
                case TypeKind.Vector2Int:
                case TypeKind.Vector3:
                case TypeKind.Vector3Int:
                case TypeKind.Vector4:
                case TypeKind.Quaternion: return "default";
                default: return "0";
            }
        }

        public static string DefaultLiteral(TypeRef t, string d)
        {
            d = d.Trim();
            switch (t.Kind)
            {
                case TypeKind.Bool: return d;
                case TypeKind.Byte:
                case TypeKind.Short:
                case TypeKind.Int:
                case TypeKind.Long:
                    Parsing.SchemaParser.TryParseInteger(d, out long n);
                    return t.Kind == TypeKind.Long ? n.ToString(CultureInfo.InvariantCulture) + "L" : $"({Cs(t)}){n.ToString(CultureInfo.InvariantCulture)}";
                case TypeKind.Float: return double.Parse(d, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) + "f";
                case TypeKind.Double: return double.Parse(d, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) + "d";
                case TypeKind.Decimal: return decimal.Parse(d, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "m";
                case TypeKind.String: return CodeWriter.Literal(d);
                default: return NaturalZero(t);
            }
        }

        /// <summary>Schema spelling of a type (stored in the database to detect incompatible changes).</summary>
        public static string SchemaName(TypeRef t)
        {
            switch (t.Kind)
            {
                case TypeKind.List: return "list[" + SchemaName(t.Value) + "]";
                case TypeKind.Set: return "set[" + SchemaName(t.Value) + "]";
                case TypeKind.Map: return "map[" + SchemaName(t.Key) + "," + SchemaName(t.Value) + "]";
                case TypeKind.Bean: return t.Bean.FullName;
                case TypeKind.BeanKey: return t.Bean.FullName;
                default: return t.Kind.ToString().ToLowerInvariant();
            }
        }
    }
}
