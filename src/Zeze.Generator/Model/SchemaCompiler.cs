using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Zeze.Generator.Parsing;

namespace Zeze.Generator.Model
{
    /// <summary>
    /// Links parsed solutions: resolves type names, computes ids exactly as Zeze does (wire-and-schema.md C4)
    /// and checks everything that would otherwise become wrong code or lost data.
    /// </summary>
    public sealed class SchemaCompiler
    {
        public const int MaxVariableId = 4095;

        private static readonly Regex NamePattern = new Regex(@"^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant);

        // Reserved words of the languages Zeze generates for (C#, Java, C++, JavaScript/TypeScript, Lua), plus the
        // type names that generated code relies on. A schema name that is one of them breaks some platform.
        private static readonly HashSet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
            "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
            "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
            "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
            "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
            "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
            "using", "virtual", "void", "volatile", "while",
            "boolean", "extends", "final", "implements", "import", "instanceof", "native", "package", "strictfp", "super",
            "synchronized", "throws", "transient", "assert",
            "and", "elseif", "end", "function", "local", "nil", "not", "or", "repeat", "then", "until",
            "var", "let", "yield", "await", "export", "with", "undefined", "arguments",
        };

        // Members of the generated bean classes (and of Bean) that a variable must not be named after.
        private static readonly HashSet<string> BeanMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "TypeId", "TYPEID", "ObjectId", "IsManaged", "Parent", "VariableId", "Encode", "Decode", "Copy", "CopyBean",
            "Assign", "BuildString", "ToString", "Equals", "GetHashCode", "GetType", "FollowerApply", "InitRootInfo",
            "InitRootInfoWithRedo", "ResetRootInfo", "RootRecord", "MapKey", "VersionVariableId", "GetVersionOnCommit",
            "SetVersionOnCommit", "GetField", "PutField", "NotNull", "Indent", "BindAssigned", "MemberwiseClone",
        };

        private readonly DiagnosticBag _d;
        private readonly List<SolutionDef> _solutions;
        private readonly Dictionary<string, object> _byName = new Dictionary<string, object>(StringComparer.Ordinal);
        private readonly Dictionary<string, object> _byNameIgnoreCase = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

        public SchemaCompiler(IEnumerable<SolutionDef> solutions, DiagnosticBag diagnostics)
        {
            _solutions = solutions.ToList();
            _d = diagnostics;
        }

        public IEnumerable<ModuleDef> AllModules => _solutions.SelectMany(s => Walk(s.Modules));
        public IEnumerable<BeanDef> AllBeans => _solutions.SelectMany(s => s.Beans).Concat(AllModules.SelectMany(m => m.Beans));

        private static IEnumerable<ModuleDef> Walk(IEnumerable<ModuleDef> modules)
        {
            foreach (var m in modules)
            {
                yield return m;
                foreach (var c in Walk(m.Modules)) yield return c;
            }
        }

        public void Compile(ICollection<string> availableFiles)
        {
            CheckImports(availableFiles);
            RegisterNames();
            CheckModuleIds();
            foreach (var b in AllBeans) CompileBean(b);
            CheckTypeIds();
            CheckBeanCycles();
            foreach (var m in AllModules)
            {
                foreach (var p in m.Protocols) CompileProtocol(p);
                CheckProtocolIds(m);
                foreach (var t in m.Tables) CompileTable(t);
                foreach (var r in m.ProtocolRefs)
                {
                    if (!(Find(r.Ref, m) is ProtocolDef))
                        _d.Add(Diagnostics.UnknownReference, r.At, "protocol", r.Ref);
                }
            }
            CheckTableIds();
            foreach (var s in _solutions)
            {
                foreach (var p in s.Projects) CompileProject(p, s);
            }
        }

        // ---- names ----

        private void CheckImports(ICollection<string> files)
        {
            foreach (var s in _solutions)
            {
                foreach (var (file, at) in s.Imports)
                {
                    string dir = System.IO.Path.GetDirectoryName(s.File) ?? "";
                    string full = NormalizePath(System.IO.Path.Combine(dir, file));
                    if (!files.Any(f => string.Equals(NormalizePath(f), full, StringComparison.OrdinalIgnoreCase)))
                        _d.Add(Diagnostics.ImportNotFound, at, file, full);
                }
            }
        }

        internal static string NormalizePath(string path)
        {
            var parts = new List<string>();
            foreach (var p in path.Replace('\\', '/').Split('/'))
            {
                if (p == "." || p.Length == 0) continue;
                if (p == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..") parts.RemoveAt(parts.Count - 1);
                else parts.Add(p);
            }
            return (path.StartsWith("/", StringComparison.Ordinal) ? "/" : "") + string.Join("/", parts);
        }

        private void CheckName(string name, string what, SourceLocation at, bool allowTrailingUnderscore = false)
        {
            if (name.Length == 0) return; // already reported as missing
            if (!NamePattern.IsMatch(name))
                _d.Add(Diagnostics.InvalidName, at, name, what, "use letters, digits and '_' only");
            else if (name[0] == '_' || (!allowTrailingUnderscore && name[name.Length - 1] == '_'))
                _d.Add(Diagnostics.InvalidName, at, name, what, "a name must not start or end with '_'");
            else if (char.IsDigit(name[0]))
                _d.Add(Diagnostics.InvalidName, at, name, what, "a name must not start with a digit");
            else if (Reserved.Contains(name))
                _d.Add(Diagnostics.InvalidName, at, name, what, "it is a reserved word in one of the languages Zeze generates for");
        }

        private void Register(string fullName, object def, SourceLocation at)
        {
            if (_byNameIgnoreCase.ContainsKey(fullName))
            {
                _d.Add(Diagnostics.DuplicateName, at, fullName);
                return;
            }
            _byNameIgnoreCase[fullName] = def;
            _byName[fullName] = def;
        }

        private void RegisterNames()
        {
            var solutionNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var s in _solutions)
            {
                foreach (var part in s.Name.Split('.')) CheckName(part, "a solution", s.At);
                foreach (var b in s.Beans)
                {
                    CheckName(b.Name, b.IsKey ? "a beankey" : "a bean", b.At);
                    Register(b.FullName, b, b.At);
                }
            }
            foreach (var m in AllModules)
            {
                CheckName(m.Name, "a module", m.At);
                Register(m.FullName, m, m.At);
                foreach (var b in m.Beans)
                {
                    CheckName(b.Name, b.IsKey ? "a beankey" : "a bean", b.At);
                    Register(b.FullName, b, b.At);
                }
                foreach (var p in m.Protocols)
                {
                    CheckName(p.Name, p.IsRpc ? "an rpc" : "a protocol", p.At);
                    Register(p.FullName, p, p.At);
                }
                foreach (var t in m.Tables)
                {
                    CheckName(t.Name, "a table", t.At);
                    Register(t.FullName, t, t.At);
                }
                foreach (var e in m.Enums) CheckName(e.Name, "an enum constant", e.At);
            }
        }

        /// <summary>Finds a definition by full name, then relative to the module path (innermost first), then the solution.</summary>
        private object Find(string name, ModuleDef module, SolutionDef solution = null)
        {
            if (_byName.TryGetValue(name, out var found)) return found;
            for (var m = module; m != null; m = m.Parent)
            {
                if (_byName.TryGetValue(m.FullName + "." + name, out found)) return found;
            }
            var s = module?.Solution ?? solution;
            if (s != null && _byName.TryGetValue(s.Name + "." + name, out found)) return found;
            return null;
        }

        // ---- modules ----

        private void CheckModuleIds()
        {
            var ids = new Dictionary<int, ModuleDef>();
            foreach (var m in AllModules)
            {
                if (m.Id <= 0) continue;
                if (ids.TryGetValue(m.Id, out var other))
                    _d.Add(Diagnostics.DuplicateModuleId, m.At, m.Id, other.FullName, m.FullName);
                else
                    ids[m.Id] = m;
                var s = m.Solution;
                if (s.AllowRanges.Count > 0 && !s.AllowRanges.Any(r => m.Id >= r.Low && m.Id <= r.High))
                    _d.Add(Diagnostics.ModuleIdNotAllowed, m.At, m.Id, m.FullName, s.AllowRangesText);
            }
            for (int i = 0; i < _solutions.Count; i++)
            {
                for (int j = i + 1; j < _solutions.Count; j++)
                {
                    foreach (var a in _solutions[i].AllowRanges)
                    {
                        foreach (var b in _solutions[j].AllowRanges)
                        {
                            if (a.Low <= b.High && b.Low <= a.High)
                                _d.Add(Diagnostics.InvalidValue, _solutions[j].At, _solutions[j].AllowRangesText, "ModuleIdAllowRanges", "solution",
                                    $"it overlaps the ranges of solution '{_solutions[i].Name}' ({_solutions[i].AllowRangesText})");
                        }
                    }
                }
            }
        }

        // ---- beans ----

        private void CompileBean(BeanDef b)
        {
            b.TypeId = b.ExplicitTypeId ?? Hashes.Hash64(b.FullName);
            b.EqualsMethods = b.IsKey || (b.EqualsAttribute ?? b.Module?.EqualsDefault ?? b.Solution.EqualsDefault ?? false);
            var ids = new Dictionary<int, VariableDef>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var v in b.Variables)
            {
                CheckName(v.Name, "a variable", v.At);
                if (v.Name == b.Name)
                    _d.Add(Diagnostics.ReservedMember, v.At, v.Name, b.FullName);
                else if (BeanMembers.Contains(v.Name) || v.Name.StartsWith("Log_", StringComparison.Ordinal) || v.Name.StartsWith("DynamicTypeId_", StringComparison.Ordinal))
                    _d.Add(Diagnostics.ReservedMember, v.At, v.Name, b.FullName);
                if (v.Id < 1 || v.Id > MaxVariableId)
                    _d.Add(Diagnostics.VariableIdOutOfRange, v.At, v.Id, v.Name);
                else if (ids.TryGetValue(v.Id, out var other))
                    _d.Add(Diagnostics.DuplicateVariableId, v.At, v.Id, b.FullName, other.Name, v.Name);
                else
                    ids[v.Id] = v;
                if (!names.Add(v.Name))
                    _d.Add(Diagnostics.DuplicateVariableName, v.At, v.Name, b.FullName);
                v.Type = ResolveVariableType(v, b);
                if (v.Type == null) continue;
                if (b.IsKey && !v.Type.IsKeyable)
                    _d.Add(Diagnostics.NotKeyable, v.At, "type", v.TypeText, $"a field of beankey '{b.FullName}'");
                if (v.Default != null) CheckDefault(v, b);
            }
            // Fields are encoded in ascending id order.
            b.Variables.Sort((x, y) => x.Id.CompareTo(y.Id));
            if (b.VersionVariable != null)
            {
                var version = b.Variables.FirstOrDefault(v => v.Name == b.VersionVariable);
                if (version == null)
                    _d.Add(Diagnostics.UnknownReference, b.At, "version variable", b.VersionVariable);
                else if (version.Type != null && version.Type.Kind != TypeKind.Long)
                    _d.Add(Diagnostics.InvalidValue, b.At, b.VersionVariable, "version", "bean", "the version variable must be of type long");
            }
            foreach (var e in b.Enums) CheckName(e.Name, "an enum constant", e.At);
        }

        private TypeRef ResolveVariableType(VariableDef v, BeanDef b)
        {
            string text = v.TypeText.Trim();
            // The long forms: type="list" value="V", type="map" key="K" value="V".
            switch (text)
            {
                case "list":
                case "array":
                case "set":
                    if (v.ValueText == null) { _d.Add(Diagnostics.MissingAttribute, v.At, "variable", "value"); return null; }
                    text = text + "[" + v.ValueText + "]";
                    break;
                case "map":
                    if (v.KeyText == null || v.ValueText == null) { _d.Add(Diagnostics.MissingAttribute, v.At, "variable", v.KeyText == null ? "key" : "value"); return null; }
                    text = "map[" + v.KeyText + "," + v.ValueText + "]";
                    break;
            }
            return ResolveType(text, v, b.Module, b.Solution, v.At, $"variable '{v.Name}' of {b.FullName}");
        }

        internal TypeRef ResolveType(string text, VariableDef owner, ModuleDef module, SolutionDef solution, SourceLocation at, string what)
        {
            text = text.Trim();
            int open = text.IndexOf('[');
            if (open > 0 && text.EndsWith("]", StringComparison.Ordinal))
            {
                string kind = text.Substring(0, open).Trim();
                string inner = text.Substring(open + 1, text.Length - open - 2);
                if (kind == "map")
                {
                    int comma = SplitComma(inner);
                    if (comma < 0) { _d.Add(Diagnostics.UnknownType, at, text, what + " (a map needs map[key,value])"); return null; }
                    var key = ResolveType(inner.Substring(0, comma), owner, module, solution, at, what);
                    var value = ResolveType(inner.Substring(comma + 1), owner, module, solution, at, what);
                    if (key == null || value == null) return null;
                    if (!key.IsKeyable || key.Kind == TypeKind.Dynamic)
                    {
                        _d.Add(Diagnostics.NotKeyable, at, "type", key.ToString(), "a map key");
                        return null;
                    }
                    if (value.IsCollection) { _d.Add(Diagnostics.UnknownType, at, text, what + " (a map value cannot be a collection; wrap it in a bean)"); return null; }
                    return new TypeRef { Kind = TypeKind.Map, Key = key, Value = value };
                }
                if (kind == "list" || kind == "array" || kind == "set")
                {
                    if (kind == "array" && inner.Trim() == "byte") return new TypeRef { Kind = TypeKind.Binary }; // same wire form as binary
                    var elem = ResolveType(inner, owner, module, solution, at, what);
                    if (elem == null) return null;
                    if (elem.IsCollection) { _d.Add(Diagnostics.UnknownType, at, text, what + " (collections cannot nest; wrap the inner one in a bean)"); return null; }
                    if (kind == "set")
                    {
                        if (!elem.IsKeyable)
                        {
                            _d.Add(Diagnostics.NotKeyable, at, "type", elem.ToString(), "a set element");
                            return null;
                        }
                        return new TypeRef { Kind = TypeKind.Set, Value = elem };
                    }
                    return new TypeRef { Kind = TypeKind.List, Value = elem };
                }
                if (kind == "gtable")
                {
                    _d.Add(Diagnostics.NotSupported, at, "gtable", "use a map of beans");
                    return null;
                }
                _d.Add(Diagnostics.UnknownType, at, text, what);
                return null;
            }
            switch (text)
            {
                case "bool": return new TypeRef { Kind = TypeKind.Bool };
                case "byte": return new TypeRef { Kind = TypeKind.Byte };
                case "short": return new TypeRef { Kind = TypeKind.Short };
                case "int": return new TypeRef { Kind = TypeKind.Int };
                case "long": return new TypeRef { Kind = TypeKind.Long };
                case "float": return new TypeRef { Kind = TypeKind.Float };
                case "double": return new TypeRef { Kind = TypeKind.Double };
                case "binary": return new TypeRef { Kind = TypeKind.Binary };
                case "string": return new TypeRef { Kind = TypeKind.String };
                case "decimal": return new TypeRef { Kind = TypeKind.Decimal };
                case "vector2": return new TypeRef { Kind = TypeKind.Vector2 };
                case "vector2int": return new TypeRef { Kind = TypeKind.Vector2Int };
                case "vector3": return new TypeRef { Kind = TypeKind.Vector3 };
                case "vector3int": return new TypeRef { Kind = TypeKind.Vector3Int };
                case "vector4": return new TypeRef { Kind = TypeKind.Vector4 };
                case "quaternion": return new TypeRef { Kind = TypeKind.Quaternion };
            }
            if (text == "dynamic" || text.StartsWith("dynamic:", StringComparison.Ordinal))
                return ResolveDynamic(text, owner, module, solution, at, what);
            var def = text.Length == 0 ? null : Find(text, module, solution);
            if (def is BeanDef bean) return new TypeRef { Kind = bean.IsKey ? TypeKind.BeanKey : TypeKind.Bean, Bean = bean };
            _d.Add(Diagnostics.UnknownType, at, text, what);
            return null;
        }

        private static int SplitComma(string s)
        {
            int depth = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == '[') depth++;
                else if (s[i] == ']') depth--;
                else if (s[i] == ',' && depth == 0) return i;
            }
            return -1;
        }

        private TypeRef ResolveDynamic(string text, VariableDef owner, ModuleDef module, SolutionDef solution, SourceLocation at, string what)
        {
            if (owner == null)
            {
                _d.Add(Diagnostics.UnknownType, at, text, what + " (dynamic is allowed only for bean variables)");
                return null;
            }
            var values = new List<DynamicValue>();
            if (text.StartsWith("dynamic:", StringComparison.Ordinal))
            {
                // dynamic:Base = Base and the beans deriving from it; C# beans do not derive, so it is Base itself.
                string baseName = text.Substring("dynamic:".Length).Trim();
                if (Find(baseName, module, solution) is BeanDef baseBean && !baseBean.IsKey)
                    values.Add(new DynamicValue { BeanName = baseName, Bean = baseBean, At = at });
                else
                {
                    _d.Add(Diagnostics.UnknownType, at, baseName, what + " (after dynamic:)");
                    return null;
                }
            }
            foreach (var dv in owner.DynamicValues)
            {
                if (Find(dv.BeanName, module, solution) is BeanDef b && !b.IsKey) dv.Bean = b;
                else _d.Add(Diagnostics.UnknownType, dv.At, dv.BeanName, "a <value> of dynamic " + what);
                if (dv.Bean != null) values.Add(dv);
            }
            int special = values.Count(x => x.SpecialId.HasValue);
            if (special != 0 && special != values.Count)
                _d.Add(Diagnostics.InvalidValue, owner.At, owner.Name, "value", "variable", "either every <value bean=\"Name:id\"/> of a dynamic has a special type id or none has");
            var seen = new HashSet<long>();
            foreach (var x in values)
            {
                long id = x.SpecialId ?? (x.Bean.ExplicitTypeId ?? Hashes.Hash64(x.Bean.FullName));
                if (!seen.Add(id))
                    _d.Add(Diagnostics.DuplicateId, x.At, "dynamic type", id, x.BeanName, "another <value> of " + owner.Name);
            }
            return new TypeRef { Kind = TypeKind.Dynamic, DynamicValues = values, DynamicOwner = owner };
        }

        private void CheckDefault(VariableDef v, BeanDef b)
        {
            string d = v.Default.Trim();
            var t = v.Type;
            string err = null;
            switch (t.Kind)
            {
                case TypeKind.Bool:
                    if (d != "true" && d != "false") err = "expected true or false";
                    break;
                case TypeKind.Byte:
                case TypeKind.Short:
                case TypeKind.Int:
                case TypeKind.Long:
                    if (!SchemaParser.TryParseInteger(d, out long n)) err = "expected an integer";
                    else if (!FitsInteger(t.Kind, n)) err = $"the value does not fit in {t.Kind.ToString().ToLowerInvariant()}";
                    break;
                case TypeKind.Float:
                case TypeKind.Double:
                    if (!double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) err = "expected a number";
                    break;
                case TypeKind.Decimal:
                    if (!decimal.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) err = "expected a decimal number";
                    break;
                case TypeKind.String:
                    break;
                default:
                    err = "defaults are allowed only for bool, numbers and string";
                    break;
            }
            if (err != null) _d.Add(Diagnostics.InvalidDefault, v.At, v.Default, v.Name, t.ToString(), err);
        }

        private static bool FitsInteger(TypeKind kind, long n)
        {
            switch (kind)
            {
                case TypeKind.Byte: return n >= byte.MinValue && n <= byte.MaxValue;
                case TypeKind.Short: return n >= short.MinValue && n <= short.MaxValue;
                case TypeKind.Int: return n >= int.MinValue && n <= int.MaxValue;
                default: return true;
            }
        }

        private void CheckTypeIds()
        {
            var ids = new Dictionary<long, BeanDef>();
            foreach (var b in AllBeans)
            {
                if (b.TypeId == 0)
                    _d.Add(Diagnostics.DuplicateId, b.At, "bean type", 0, b.FullName, "the empty bean (0 is reserved)");
                else if (ids.TryGetValue(b.TypeId, out var other))
                    _d.Add(Diagnostics.DuplicateId, b.At, "bean type", b.TypeId, b.FullName, other.FullName);
                else
                    ids[b.TypeId] = b;
            }
        }

        /// <summary>A bean may not contain itself through bean fields (only through containers).</summary>
        private void CheckBeanCycles()
        {
            var state = new Dictionary<BeanDef, int>(); // 1 visiting, 2 done
            foreach (var b in AllBeans) Visit(b, new List<string>());

            void Visit(BeanDef b, List<string> path)
            {
                if (state.TryGetValue(b, out int s))
                {
                    if (s == 1)
                    {
                        _d.Add(Diagnostics.BeanCycle, b.At, b.FullName, string.Join(" -> ", path));
                        state[b] = 2;
                    }
                    return;
                }
                state[b] = 1;
                foreach (var v in b.Variables)
                {
                    if (v.Type != null && (v.Type.Kind == TypeKind.Bean || v.Type.Kind == TypeKind.BeanKey))
                    {
                        path.Add(b.Name + "." + v.Name);
                        Visit(v.Type.Bean, path);
                        path.RemoveAt(path.Count - 1);
                    }
                }
                state[b] = 2;
            }
        }

        // ---- protocols and tables ----

        private void CompileProtocol(ProtocolDef p)
        {
            p.Id = p.ExplicitId ?? Hashes.Hash32(p.FullName);
            if (p.Id == 0) _d.Add(Diagnostics.DuplicateId, p.At, "protocol", 0, p.FullName, "nothing (0 is reserved)");
            p.Argument = ResolveMessageBean(p.ArgumentText, p, "argument");
            if (p.IsRpc) p.Result = ResolveMessageBean(p.ResultText, p, "result");
            p.TransactionLevel = p.TransactionLevel ?? p.Module.DefaultTransactionLevel ?? p.Module.Solution.DefaultTransactionLevel ?? "Serializable";
            foreach (var e in p.Enums) CheckName(e.Name, "an enum constant", e.At);
        }

        private BeanDef ResolveMessageBean(string text, ProtocolDef p, string what)
        {
            if (text == null) return null;
            if (Find(text.Trim(), p.Module) is BeanDef b) return b;
            _d.Add(Diagnostics.UnknownType, p.At, text, $"the {what} of {p.FullName}");
            return null;
        }

        private void CheckProtocolIds(ModuleDef m)
        {
            var ids = new Dictionary<int, ProtocolDef>();
            foreach (var p in m.Protocols)
            {
                if (ids.TryGetValue(p.Id, out var other))
                    _d.Add(Diagnostics.DuplicateId, p.At, "protocol", p.Id, p.FullName, other.FullName);
                else
                    ids[p.Id] = p;
            }
        }

        private void CompileTable(TableDef t)
        {
            t.Id = t.ExplicitId ?? Hashes.Hash32(t.FullName);
            t.Key = ResolveType(t.KeyText, null, t.Module, t.Module.Solution, t.At, $"the key of table {t.FullName}");
            if (t.Key != null && (!t.Key.IsKeyable || t.Key.Kind == TypeKind.Dynamic))
                _d.Add(Diagnostics.NotKeyable, t.At, "type", t.KeyText, $"the key of table {t.FullName}");
            if (t.AutoKey == "true" && t.Key != null && t.Key.Kind != TypeKind.Long)
                _d.Add(Diagnostics.InvalidValue, t.At, "true", "autokey", "table", "autokey=\"true\" needs a long key");
            if (t.AutoKey == "random" && t.Key != null && t.Key.Kind != TypeKind.Binary)
                _d.Add(Diagnostics.InvalidValue, t.At, "random", "autokey", "table", "autokey=\"random\" needs a binary key");
            var value = Find(t.ValueText.Trim(), t.Module);
            if (value is BeanDef b && !b.IsKey) t.Value = b;
            else if (t.ValueText.Length > 0)
                _d.Add(Diagnostics.UnknownType, t.At, t.ValueText, $"the value of table {t.FullName} (it must be a bean)");
        }

        private void CheckTableIds()
        {
            var ids = new Dictionary<int, TableDef>();
            foreach (var t in AllModules.SelectMany(m => m.Tables))
            {
                if (ids.TryGetValue(t.Id, out var other))
                    _d.Add(Diagnostics.DuplicateId, t.At, "table", t.Id, t.FullName, other.FullName);
                else
                    ids[t.Id] = t;
            }
        }

        private void CompileProject(ProjectDef p, SolutionDef s)
        {
            // References in a project are relative to the solution name.
            foreach (var (r, at) in p.ModuleRefs.Concat(p.Services.SelectMany(x => x.ModuleRefs)).Concat(p.StartOrder))
            {
                if (!(Find(r, null, s) is ModuleDef) && !(_byName.TryGetValue(r, out var o) && o is ModuleDef))
                    _d.Add(Diagnostics.UnknownReference, at, "module", r);
            }
            foreach (var (r, at) in p.TypeRefs)
            {
                if (!(Find(r, null, s) is BeanDef))
                    _d.Add(Diagnostics.UnknownReference, at, "bean", r);
            }
        }
    }
}
