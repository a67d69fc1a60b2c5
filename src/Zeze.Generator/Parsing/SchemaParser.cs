using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Zeze.Generator.Model;

namespace Zeze.Generator.Parsing
{
    /// <summary>
    /// Reads one solution file into the model. Every element and attribute of Zeze's schema language is either
    /// understood here or reported: unknown names are errors, never silently ignored.
    /// </summary>
    public sealed class SchemaParser
    {
        // Attributes accepted per element. Some only affect other platforms (Java, Lua, TypeScript...) and are
        // accepted without effect on C#; see docs/schema.md.
        private static readonly Dictionary<string, HashSet<string>> Allowed = new Dictionary<string, HashSet<string>>
        {
            ["solution"] = Set("name", "ModuleIdAllowRanges", "DefaultTransactionLevel", "equals", "UseData", "comment"),
            ["module"] = Set("name", "id", "hot", "MultiInstance", "base", "WebPathBase", "DefaultTransactionLevel", "equals", "UseData", "comment"),
            ["bean"] = Set("name", "TypeId", "kind", "extendable", "equals", "base", "interface", "version", "MappingClass", "UseData", "RedirectResult", "comment"),
            ["beankey"] = Set("name", "TypeId", "comment"),
            ["variable"] = Set("id", "name", "type", "key", "value", "default", "validator", "AllowNegative", "transient", "FixSize", "javaType", "comment"),
            ["enum"] = Set("name", "value", "type", "description", "comment"),
            ["protocol"] = Set("name", "id", "argument", "handle", "NoProcedure", "TransactionLevel", "UseData", "CriticalLevel", "comment"),
            ["rpc"] = Set("name", "id", "argument", "result", "base", "handle", "NoProcedure", "TransactionLevel", "UseData", "CriticalLevel", "comment"),
            ["table"] = Set("name", "id", "key", "value", "gen", "memory", "autokey", "kind", "suffix", "RelationalMapping", "noSchema", "comment"),
            ["project"] = Set("name", "platform", "GenDir", "SrcDir", "CommonDir", "DisableDeleteGen", "PackagePath", "GenTables", "BuiltinNG",
                "IncludeAllModules", "MacroEditor", "SolutionName", "MappingClass", "IsUnity", "EnableBase", "NoRecursiveModule", "ClientScript",
                "RelationalMapping", "LuaUtilDir", "hot", "PresentModuleFullName", "comment"),
            ["service"] = Set("name", "handle", "base", "comment"),
        };

        private static HashSet<string> Set(params string[] names) => new HashSet<string>(names, StringComparer.Ordinal);

        private readonly DiagnosticBag _diagnostics;
        private readonly string _file;

        public SchemaParser(string file, DiagnosticBag diagnostics)
        {
            _file = file;
            _diagnostics = diagnostics;
        }

        /// <summary>Parses a file; returns null (with a diagnostic) when it is not a well-formed solution.</summary>
        public SolutionDef Parse(string text)
        {
            XDocument doc;
            try
            {
                doc = XDocument.Parse(text, LoadOptions.SetLineInfo);
            }
            catch (XmlException e)
            {
                _diagnostics.Add(Diagnostics.MalformedXml, new SourceLocation(_file, e.LineNumber, e.LinePosition), e.Message);
                return null;
            }
            var root = doc.Root;
            if (root == null || root.Name.LocalName != "solution")
            {
                _diagnostics.Add(Diagnostics.UnknownElement, At(root), root?.Name.LocalName ?? "(nothing)", "(document)", ": a schema file's root element must be <solution>");
                return null;
            }
            return ParseSolution(root);
        }

        private SourceLocation At(XObject x)
        {
            var info = (IXmlLineInfo)x;
            return info != null && info.HasLineInfo() ? new SourceLocation(_file, info.LineNumber, info.LinePosition) : new SourceLocation(_file, 1, 1);
        }

        private void CheckAttributes(XElement e, string kind)
        {
            var allowed = Allowed[kind];
            foreach (var a in e.Attributes())
            {
                if (a.IsNamespaceDeclaration || a.Name.NamespaceName.Length != 0) continue;
                if (!allowed.Contains(a.Name.LocalName))
                {
                    string hint = Suggest(a.Name.LocalName, allowed);
                    _diagnostics.Add(Diagnostics.UnknownAttribute, At(a), a.Name.LocalName, e.Name.LocalName, hint);
                }
            }
        }

        private static string Suggest(string name, IEnumerable<string> known)
        {
            var match = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            return match != null ? $" (did you mean '{match}'?)" : "";
        }

        private string Required(XElement e, string attribute)
        {
            var a = e.Attribute(attribute);
            if (a == null || a.Value.Length == 0)
            {
                _diagnostics.Add(Diagnostics.MissingAttribute, At(e), e.Name.LocalName, attribute);
                return null;
            }
            return a.Value;
        }

        private static string Optional(XElement e, string attribute)
        {
            var a = e.Attribute(attribute);
            return a == null || a.Value.Length == 0 ? null : a.Value;
        }

        private bool? Bool(XElement e, string attribute)
        {
            var a = e.Attribute(attribute);
            if (a == null || a.Value.Length == 0) return null;
            switch (a.Value.Trim().ToLowerInvariant())
            {
                case "true": return true;
                case "false": return false;
                default:
                    _diagnostics.Add(Diagnostics.InvalidValue, At(a), a.Value, attribute, e.Name.LocalName, "expected true or false");
                    return null;
            }
        }

        private long? Integer(XElement e, string attribute, long min, long max)
        {
            var a = e.Attribute(attribute);
            if (a == null || a.Value.Length == 0) return null;
            if (!TryParseInteger(a.Value, out long v))
            {
                _diagnostics.Add(Diagnostics.InvalidValue, At(a), a.Value, attribute, e.Name.LocalName, "expected an integer");
                return null;
            }
            if (v < min || v > max)
            {
                _diagnostics.Add(Diagnostics.InvalidValue, At(a), a.Value, attribute, e.Name.LocalName, $"expected a value between {min} and {max}");
                return null;
            }
            return v;
        }

        internal static bool TryParseInteger(string text, out long value)
        {
            text = text.Trim();
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.StartsWith("-0x", StringComparison.OrdinalIgnoreCase))
            {
                bool neg = text[0] == '-';
                if (ulong.TryParse(text.Substring(neg ? 3 : 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong u))
                {
                    value = neg ? -(long)u : (long)u;
                    return true;
                }
                value = 0;
                return false;
            }
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        private string TransactionLevel(XElement e, string attribute)
        {
            var v = Optional(e, attribute);
            if (v == null) return null;
            switch (v)
            {
                case "None":
                case "Serializable":
                case "AllowDirtyWhenAllRead":
                    return v;
                default:
                    _diagnostics.Add(Diagnostics.InvalidValue, At(e.Attribute(attribute)), v, attribute, e.Name.LocalName, "expected None, Serializable or AllowDirtyWhenAllRead");
                    return null;
            }
        }

        private void UnknownChild(XElement child, XElement parent, string expected)
        {
            _diagnostics.Add(Diagnostics.UnknownElement, At(child), child.Name.LocalName, parent.Name.LocalName, $" (expected {expected})");
        }

        // ---- solution ----

        private SolutionDef ParseSolution(XElement e)
        {
            CheckAttributes(e, "solution");
            var s = new SolutionDef { File = _file, At = At(e) };
            s.Name = Required(e, "name") ?? "";
            s.DefaultTransactionLevel = TransactionLevel(e, "DefaultTransactionLevel");
            s.EqualsDefault = Bool(e, "equals");
            var ranges = Optional(e, "ModuleIdAllowRanges");
            if (ranges != null)
            {
                s.AllowRangesText = ranges;
                foreach (var part in ranges.Split(','))
                {
                    var p = part.Trim();
                    if (p.Length == 0) continue;
                    int dash = p.IndexOf('-', 1);
                    bool ok;
                    long lo, hi;
                    if (dash < 0)
                    {
                        ok = TryParseInteger(p, out lo);
                        hi = lo;
                    }
                    else
                    {
                        ok = TryParseInteger(p.Substring(0, dash), out lo) & TryParseInteger(p.Substring(dash + 1), out hi);
                    }
                    if (!ok || lo > hi)
                        _diagnostics.Add(Diagnostics.InvalidValue, At(e.Attribute("ModuleIdAllowRanges")), ranges, "ModuleIdAllowRanges", "solution", $"'{p}' is not a number or a range low-high");
                    else
                        s.AllowRanges.Add((lo, hi));
                }
            }
            foreach (var c in e.Elements())
            {
                switch (c.Name.LocalName)
                {
                    case "bean": s.Beans.Add(ParseBean(c, s, null, isKey: false)); break;
                    case "beankey": s.Beans.Add(ParseBean(c, s, null, isKey: true)); break;
                    case "module": s.Modules.Add(ParseModule(c, s, null)); break;
                    case "project":
                    case "component": s.Projects.Add(ParseProject(c)); break;
                    case "import":
                        CheckOnly(c, "file");
                        var file = Required(c, "file");
                        if (file != null) s.Imports.Add((file, At(c)));
                        break;
                    case "external":
                        CheckOnly(c, "bean");
                        Required(c, "bean");
                        break;
                    case "externalkey":
                        CheckOnly(c, "beankey");
                        Required(c, "beankey");
                        break;
                    default: UnknownChild(c, e, "bean, beankey, module, project, component, import, external or externalkey"); break;
                }
            }
            return s;
        }

        private void CheckOnly(XElement e, params string[] attributes)
        {
            var allowed = Set(attributes);
            allowed.Add("comment");
            foreach (var a in e.Attributes())
            {
                if (a.IsNamespaceDeclaration || a.Name.NamespaceName.Length != 0) continue;
                if (!allowed.Contains(a.Name.LocalName))
                    _diagnostics.Add(Diagnostics.UnknownAttribute, At(a), a.Name.LocalName, e.Name.LocalName, Suggest(a.Name.LocalName, allowed));
            }
            foreach (var c in e.Elements())
                UnknownChild(c, e, "no child elements");
        }

        // ---- module ----

        private ModuleDef ParseModule(XElement e, SolutionDef s, ModuleDef parent)
        {
            CheckAttributes(e, "module");
            var m = new ModuleDef { Solution = s, Parent = parent, At = At(e) };
            m.Name = Required(e, "name") ?? "";
            m.Id = (int)(Integer(e, "id", 1, int.MaxValue) ?? 0);
            if (e.Attribute("id") == null) _diagnostics.Add(Diagnostics.MissingAttribute, At(e), "module", "id");
            m.DefaultTransactionLevel = TransactionLevel(e, "DefaultTransactionLevel");
            m.EqualsDefault = Bool(e, "equals");
            m.Hot = Bool(e, "hot") ?? false;
            if (Optional(e, "base") != null)
                _diagnostics.Add(Diagnostics.NotSupported, At(e.Attribute("base")), "module base=\"...\"", "modules cannot inherit; put shared code in a class of your own");
            foreach (var c in e.Elements())
            {
                switch (c.Name.LocalName)
                {
                    case "enum": m.Enums.Add(ParseEnum(c)); break;
                    case "bean": m.Beans.Add(ParseBean(c, s, m, isKey: false)); break;
                    case "beankey": m.Beans.Add(ParseBean(c, s, m, isKey: true)); break;
                    case "module": m.Modules.Add(ParseModule(c, s, m)); break;
                    case "protocol": m.Protocols.Add(ParseProtocol(c, m, isRpc: false)); break;
                    case "rpc": m.Protocols.Add(ParseProtocol(c, m, isRpc: true)); break;
                    case "table": m.Tables.Add(ParseTable(c, m)); break;
                    case "protocolref":
                        CheckOnly(c, "ref", "import");
                        var r = Optional(c, "ref");
                        var i = Optional(c, "import");
                        if (r == null && i == null) _diagnostics.Add(Diagnostics.MissingAttribute, At(c), "protocolref", "ref");
                        else m.ProtocolRefs.Add((r ?? i, r == null, At(c)));
                        break;
                    case "servlet":
                    case "servletstream":
                        _diagnostics.Add(Diagnostics.NotSupported, At(c), "<" + c.Name.LocalName + ">", "HTTP servlets exist only in Zeze for Java; use ASP.NET Core next to the application");
                        break;
                    case "external":
                        CheckOnly(c, "bean");
                        Required(c, "bean");
                        break;
                    case "externalkey":
                        CheckOnly(c, "beankey");
                        Required(c, "beankey");
                        break;
                    default: UnknownChild(c, e, "enum, bean, beankey, module, protocol, rpc, table, protocolref, external or externalkey"); break;
                }
            }
            return m;
        }

        private EnumDef ParseEnum(XElement e)
        {
            CheckAttributes(e, "enum");
            foreach (var c in e.Elements()) UnknownChild(c, e, "no child elements");
            return new EnumDef
            {
                Name = Required(e, "name") ?? "",
                Value = Required(e, "value") ?? "0",
                Type = Optional(e, "type") ?? "int",
                Comment = Optional(e, "description") ?? Optional(e, "comment"),
                At = At(e),
            };
        }

        // ---- bean ----

        private BeanDef ParseBean(XElement e, SolutionDef s, ModuleDef m, bool isKey)
        {
            CheckAttributes(e, isKey ? "beankey" : "bean");
            var b = new BeanDef { Solution = s, Module = m, IsKey = isKey, At = At(e) };
            b.Name = Required(e, "name") ?? "";
            b.ExplicitTypeId = Integer(e, "TypeId", long.MinValue, long.MaxValue);
            b.Comment = Optional(e, "comment");
            if (!isKey)
            {
                b.EqualsAttribute = Bool(e, "equals");
                b.VersionVariable = Optional(e, "version");
                b.Interface = Optional(e, "interface");
                Bool(e, "extendable");
                var kind = Optional(e, "kind");
                if (kind != null && kind != "bean")
                    _diagnostics.Add(Diagnostics.NotSupported, At(e.Attribute("kind")), $"bean kind=\"{kind}\"", "only plain beans (kind=\"bean\") are generated for C#");
                if (Optional(e, "base") != null)
                    _diagnostics.Add(Diagnostics.NotSupported, At(e.Attribute("base")), "bean base=\"...\" (inheritance)", "C# beans are sealed, as in Zeze's C# generator; use a bean field or a dynamic field instead");
            }
            foreach (var c in e.Elements())
            {
                switch (c.Name.LocalName)
                {
                    case "variable":
                    case "var": b.Variables.Add(ParseVariable(c, b)); break;
                    case "enum": b.Enums.Add(ParseEnum(c)); break;
                    default: UnknownChild(c, e, "variable, var or enum"); break;
                }
            }
            return b;
        }

        private VariableDef ParseVariable(XElement e, BeanDef owner)
        {
            CheckAttributes(e, "variable");
            var v = new VariableDef { Owner = owner, At = At(e) };
            v.Name = Required(e, "name") ?? "";
            var id = e.Attribute("id");
            if (id == null) _diagnostics.Add(Diagnostics.MissingAttribute, At(e), e.Name.LocalName, "id");
            else if (!TryParseInteger(id.Value, out long idValue) || idValue > int.MaxValue || idValue < int.MinValue)
                _diagnostics.Add(Diagnostics.InvalidValue, At(id), id.Value, "id", e.Name.LocalName, "expected an integer");
            else v.Id = (int)idValue;
            v.TypeText = Required(e, "type") ?? "";
            v.KeyText = Optional(e, "key");
            v.ValueText = Optional(e, "value");
            v.Default = e.Attribute("default")?.Value;
            v.Transient = Bool(e, "transient") ?? false;
            v.Comment = Optional(e, "comment");
            Bool(e, "AllowNegative");
            foreach (var c in e.Elements())
            {
                switch (c.Name.LocalName)
                {
                    case "value":
                        CheckOnly(c, "bean");
                        var bean = Required(c, "bean");
                        if (bean == null) break;
                        var dv = new DynamicValue { At = At(c) };
                        int colon = bean.IndexOf(':');
                        if (colon >= 0)
                        {
                            dv.BeanName = bean.Substring(0, colon).Trim();
                            if (TryParseInteger(bean.Substring(colon + 1), out long special) && special > 0) dv.SpecialId = special;
                            else _diagnostics.Add(Diagnostics.InvalidValue, At(c.Attribute("bean")), bean, "bean", "value", "the special type id after ':' must be a positive integer");
                        }
                        else
                        {
                            dv.BeanName = bean.Trim();
                        }
                        v.DynamicValues.Add(dv);
                        break;
                    case "GetSpecialTypeIdFromBean":
                        CheckOnly(c, "value");
                        v.GetSpecialTypeIdHook = Required(c, "value");
                        break;
                    case "CreateBeanFromSpecialTypeId":
                        CheckOnly(c, "value");
                        v.CreateBeanHook = Required(c, "value");
                        break;
                    case "CreateDataFromSpecialTypeId":
                        CheckOnly(c, "value"); // Java data classes only
                        Required(c, "value");
                        break;
                    default: UnknownChild(c, e, "value, GetSpecialTypeIdFromBean, CreateBeanFromSpecialTypeId or CreateDataFromSpecialTypeId"); break;
                }
            }
            return v;
        }

        // ---- protocol, table ----

        private ProtocolDef ParseProtocol(XElement e, ModuleDef m, bool isRpc)
        {
            CheckAttributes(e, isRpc ? "rpc" : "protocol");
            var p = new ProtocolDef { Module = m, IsRpc = isRpc, At = At(e) };
            p.Name = Required(e, "name") ?? "";
            var id = Integer(e, "id", int.MinValue, uint.MaxValue);
            if (id.HasValue)
            {
                if (id.Value == 0) _diagnostics.Add(Diagnostics.InvalidValue, At(e.Attribute("id")), "0", "id", e.Name.LocalName, "protocol id 0 is reserved");
                else p.ExplicitId = unchecked((int)id.Value);
            }
            p.ArgumentText = Optional(e, "argument");
            if (isRpc)
            {
                p.ResultText = Optional(e, "result");
                p.RpcBase = Optional(e, "base");
            }
            p.Comment = Optional(e, "comment");
            p.TransactionLevel = TransactionLevel(e, "TransactionLevel");
            if (Bool(e, "NoProcedure") == true) p.TransactionLevel = "None";
            var handle = Optional(e, "handle");
            if (handle != null)
            {
                foreach (var h in handle.Split(','))
                {
                    switch (h.Trim())
                    {
                        case "server": p.Handle |= HandleFlags.Server; break;
                        case "client": p.Handle |= HandleFlags.Client; break;
                        case "serverscript": p.Handle |= HandleFlags.ServerScript; break;
                        case "clientscript": p.Handle |= HandleFlags.ClientScript; break;
                        case "servlet": p.Handle |= HandleFlags.Servlet; break;
                        case "": break;
                        default:
                            _diagnostics.Add(Diagnostics.InvalidValue, At(e.Attribute("handle")), handle, "handle", e.Name.LocalName,
                                $"'{h.Trim()}' is not one of server, client, serverscript, clientscript, servlet");
                            break;
                    }
                }
            }
            var critical = Optional(e, "CriticalLevel");
            if (critical != null && !new[] { "0", "1", "2", "3", "CriticalPlus", "Critical", "Normal", "Sheddable" }.Contains(critical))
                _diagnostics.Add(Diagnostics.InvalidValue, At(e.Attribute("CriticalLevel")), critical, "CriticalLevel", e.Name.LocalName, "expected 0..3, CriticalPlus, Critical, Normal or Sheddable");
            foreach (var c in e.Elements())
            {
                if (c.Name.LocalName == "enum") p.Enums.Add(ParseEnum(c));
                else UnknownChild(c, e, "enum");
            }
            return p;
        }

        private TableDef ParseTable(XElement e, ModuleDef m)
        {
            CheckAttributes(e, "table");
            var t = new TableDef { Module = m, At = At(e) };
            t.Name = Required(e, "name") ?? "";
            var id = Integer(e, "id", int.MinValue, uint.MaxValue);
            if (id.HasValue) t.ExplicitId = unchecked((int)id.Value);
            t.KeyText = Required(e, "key") ?? "";
            t.ValueText = Required(e, "value") ?? "";
            t.Memory = Bool(e, "memory") ?? false;
            t.NoSchema = Bool(e, "noSchema") ?? false;
            t.Gen = Optional(e, "gen");
            t.Comment = Optional(e, "comment");
            var autokey = Optional(e, "autokey");
            if (autokey != null)
            {
                if (autokey == "true" || autokey == "random") t.AutoKey = autokey;
                else if (autokey != "false")
                    _diagnostics.Add(Diagnostics.InvalidValue, At(e.Attribute("autokey")), autokey, "autokey", "table", "expected true, random or false");
            }
            var kind = Optional(e, "kind");
            if (kind != null && kind != "bean")
                _diagnostics.Add(Diagnostics.NotSupported, At(e.Attribute("kind")), $"table kind=\"{kind}\"", "only plain tables are generated for C#");
            foreach (var c in e.Elements()) UnknownChild(c, e, "no child elements");
            return t;
        }

        // ---- project ----

        private ProjectDef ParseProject(XElement e)
        {
            CheckAttributes(e, "project");
            var p = new ProjectDef { At = At(e) };
            p.Name = Required(e, "name") ?? "";
            p.Platform = Optional(e, "platform") ?? (e.Name.LocalName == "component" ? "zeze+cs" : "cs");
            if (e.Name.LocalName == "project")
            {
                // GenDir and SrcDir are required by Zeze's Gen tool; here generation happens at build time.
                Required(e, "GenDir");
                Required(e, "SrcDir");
            }
            foreach (var c in e.Elements())
            {
                switch (c.Name.LocalName)
                {
                    case "module":
                        CheckOnly(c, "ref");
                        var r = Required(c, "ref");
                        if (r != null) p.ModuleRefs.Add((r, At(c)));
                        break;
                    case "service":
                        p.Services.Add(ParseService(c));
                        break;
                    case "ModuleStartOrder":
                        foreach (var s in c.Elements())
                        {
                            if (s.Name.LocalName != "start") { UnknownChild(s, c, "start"); continue; }
                            CheckOnly(s, "module");
                            var mod = Required(s, "module");
                            if (mod != null) p.StartOrder.Add((mod, At(s)));
                        }
                        break;
                    case "bean":
                    case "beankey":
                        CheckOnly(c, "ref");
                        var br = Required(c, "ref");
                        if (br != null) p.TypeRefs.Add((br, At(c)));
                        break;
                    case "FollowerApplyTables":
                        foreach (var f in c.Elements())
                        {
                            if (f.Name.LocalName == "table") { CheckOnly(f, "name"); Required(f, "name"); }
                            else if (f.Name.LocalName == "bean") { CheckOnly(f, "ref"); Required(f, "ref"); }
                            else UnknownChild(f, c, "table or bean");
                        }
                        break;
                    default: UnknownChild(c, e, "module, service, ModuleStartOrder, bean, beankey or FollowerApplyTables"); break;
                }
            }
            return p;
        }

        private ServiceDef ParseService(XElement e)
        {
            CheckAttributes(e, "service");
            var s = new ServiceDef { At = At(e) };
            s.Name = e.Attribute("name")?.Value ?? "";
            s.Base = Optional(e, "base");
            var handle = Required(e, "handle");
            if (handle != null)
            {
                foreach (var h in handle.Split(','))
                {
                    switch (h.Trim())
                    {
                        case "server": s.Handle |= HandleFlags.Server; break;
                        case "client": s.Handle |= HandleFlags.Client; break;
                        case "serverscript": s.Handle |= HandleFlags.ServerScript; break;
                        case "clientscript": s.Handle |= HandleFlags.ClientScript; break;
                        case "servlet": s.Handle |= HandleFlags.Servlet; break;
                        case "": break;
                        default:
                            _diagnostics.Add(Diagnostics.InvalidValue, At(e.Attribute("handle")), handle, "handle", "service", $"'{h.Trim()}' is not a handle kind");
                            break;
                    }
                }
            }
            foreach (var c in e.Elements())
            {
                if (c.Name.LocalName != "module") { UnknownChild(c, e, "module"); continue; }
                CheckOnly(c, "ref");
                var r = Required(c, "ref");
                if (r != null) s.ModuleRefs.Add((r, At(c)));
            }
            return s;
        }
    }
}
