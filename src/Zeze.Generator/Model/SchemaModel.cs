using System.Collections.Generic;

namespace Zeze.Generator.Model
{
    // The schema after parsing (names and raw attribute text) and after compiling (resolved types and ids).

    public sealed class SolutionDef
    {
        public string Name = "";
        public string File = "";
        public SourceLocation At;
        public List<(long Low, long High)> AllowRanges = new List<(long, long)>();
        public string AllowRangesText;
        public string DefaultTransactionLevel;
        public bool? EqualsDefault;
        public readonly List<ModuleDef> Modules = new List<ModuleDef>();
        public readonly List<BeanDef> Beans = new List<BeanDef>();
        public readonly List<(string File, SourceLocation At)> Imports = new List<(string, SourceLocation)>();
        public readonly List<ProjectDef> Projects = new List<ProjectDef>();
    }

    public sealed class ModuleDef
    {
        public string Name = "";
        public int Id;
        public SourceLocation At;
        public SolutionDef Solution;
        public ModuleDef Parent;
        public string DefaultTransactionLevel;
        public bool? EqualsDefault;
        public bool Hot;
        public readonly List<ModuleDef> Modules = new List<ModuleDef>();
        public readonly List<BeanDef> Beans = new List<BeanDef>();
        public readonly List<EnumDef> Enums = new List<EnumDef>();
        public readonly List<ProtocolDef> Protocols = new List<ProtocolDef>();
        public readonly List<TableDef> Tables = new List<TableDef>();
        public readonly List<(string Ref, bool ImportOnly, SourceLocation At)> ProtocolRefs = new List<(string, bool, SourceLocation)>();

        /// <summary>solution.Module[.Sub]: the C# namespace and the prefix of protocol full names.</summary>
        public string FullName => Parent == null ? Solution.Name + "." + Name : Parent.FullName + "." + Name;

        public string ClassName => "Module" + Name;
    }

    public enum TypeKind
    {
        Bool, Byte, Short, Int, Long, Float, Double, Binary, String, Decimal,
        Vector2, Vector2Int, Vector3, Vector3Int, Vector4, Quaternion,
        Bean, BeanKey, Dynamic, List, Set, Map,
    }

    public sealed class TypeRef
    {
        public TypeKind Kind;
        public TypeRef Key;        // map key
        public TypeRef Value;      // list/set element, map value
        public BeanDef Bean;       // Bean, BeanKey
        public List<DynamicValue> DynamicValues; // Dynamic
        public VariableDef DynamicOwner;         // the variable whose hooks and ids a dynamic uses

        public bool IsCollection => Kind == TypeKind.List || Kind == TypeKind.Set || Kind == TypeKind.Map;

        public bool IsKeyable => Kind <= TypeKind.Quaternion && Kind != TypeKind.Float && Kind != TypeKind.Double || Kind == TypeKind.BeanKey;

        public bool IsPrimitiveValue => Kind <= TypeKind.Quaternion || Kind == TypeKind.BeanKey;

        public override string ToString()
        {
            switch (Kind)
            {
                case TypeKind.List: return "list[" + Value + "]";
                case TypeKind.Set: return "set[" + Value + "]";
                case TypeKind.Map: return "map[" + Key + "," + Value + "]";
                case TypeKind.Bean:
                case TypeKind.BeanKey: return Bean.FullName;
                default: return Kind.ToString().ToLowerInvariant();
            }
        }
    }

    public sealed class DynamicValue
    {
        public string BeanName = "";
        public long? SpecialId;
        public SourceLocation At;
        public BeanDef Bean;
    }

    public sealed class EnumDef
    {
        public string Name = "";
        public string Value = "";
        public string Type = "int";
        public string Comment;
        public SourceLocation At;
    }

    public sealed class VariableDef
    {
        public int Id;
        public string Name = "";
        public string TypeText = "";
        public string KeyText;
        public string ValueText;
        public string Default;
        public bool Transient;
        public string Comment;
        public SourceLocation At;
        public readonly List<DynamicValue> DynamicValues = new List<DynamicValue>();
        public string GetSpecialTypeIdHook;
        public string CreateBeanHook;
        public TypeRef Type;
        public BeanDef Owner;
    }

    public sealed class BeanDef
    {
        public string Name = "";
        public bool IsKey;
        public long? ExplicitTypeId;
        public long TypeId;
        public bool EqualsMethods;
        public bool? EqualsAttribute;
        public string VersionVariable;
        public string Interface;
        public string Comment;
        public SourceLocation At;
        public SolutionDef Solution;
        public ModuleDef Module;
        public readonly List<VariableDef> Variables = new List<VariableDef>();
        public readonly List<EnumDef> Enums = new List<EnumDef>();

        /// <summary>solution[.module...].Bean: the TypeId hash input and the C# full name.</summary>
        public string FullName => (Module != null ? Module.FullName : Solution.Name) + "." + Name;

        public string Namespace => Module != null ? Module.FullName : Solution.Name;
    }

    public sealed class ProtocolDef
    {
        public string Name = "";
        public bool IsRpc;
        public int? ExplicitId;
        public int Id;
        public string ArgumentText;
        public string ResultText;
        public BeanDef Argument;   // null = EmptyBean
        public BeanDef Result;     // null = EmptyBean
        public string RpcBase;
        public int Handle;
        public string TransactionLevel;
        public string Comment;
        public SourceLocation At;
        public ModuleDef Module;
        public readonly List<EnumDef> Enums = new List<EnumDef>();

        public string FullName => Module.FullName + "." + Name;
    }

    public sealed class TableDef
    {
        public string Name = "";
        public int? ExplicitId;
        public int Id;
        public string KeyText = "";
        public string ValueText = "";
        public TypeRef Key;
        public BeanDef Value;
        public bool Memory;
        public string AutoKey = "";
        public bool NoSchema;
        public string Gen;
        public string Comment;
        public SourceLocation At;
        public ModuleDef Module;

        public string FullName => Module.FullName + "." + Name;

        /// <summary>The storage name: full name with dots replaced by underscores.</summary>
        public string StorageName => FullName.Replace('.', '_');
    }

    public sealed class ProjectDef
    {
        public string Name = "";
        public string Platform = "cs";
        public SourceLocation At;
        public readonly List<(string Ref, SourceLocation At)> ModuleRefs = new List<(string, SourceLocation)>();
        public readonly List<ServiceDef> Services = new List<ServiceDef>();
        public readonly List<(string Ref, SourceLocation At)> StartOrder = new List<(string, SourceLocation)>();
        public readonly List<(string Ref, SourceLocation At)> TypeRefs = new List<(string, SourceLocation)>();
    }

    public sealed class ServiceDef
    {
        public string Name = "";
        public int Handle;
        public string Base;
        public SourceLocation At;
        public readonly List<(string Ref, SourceLocation At)> ModuleRefs = new List<(string, SourceLocation)>();
    }

    /// <summary>Protocol handle flags of the schema's <c>handle</c> attribute.</summary>
    public static class HandleFlags
    {
        public const int Server = 1;
        public const int Client = 2;
        public const int ServerScript = 8;
        public const int ClientScript = 16;
        public const int Servlet = 32;
    }
}
