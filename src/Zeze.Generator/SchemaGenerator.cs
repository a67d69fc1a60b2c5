using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Zeze.Generator.Emit;
using Zeze.Generator.Model;
using Zeze.Generator.Parsing;

namespace Zeze.Generator
{
    /// <summary>
    /// The schema compiler: turns the <c>solution.xml</c> files listed as <c>AdditionalFiles</c> into C# at build
    /// time. Errors in a schema are compiler errors pointing at the schema's file and line; nothing is generated
    /// from a schema with errors. The MSBuild property <c>ZezeHandle</c> (server, client, or both) selects which
    /// protocols get handler methods (default: server).
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SchemaGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var files = context.AdditionalTextsProvider
                .Where(static f => f.Path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                .Select(static (f, ct) => new SchemaFile(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .Collect();
            var side = context.AnalyzerConfigOptionsProvider.Select(static (o, _) =>
                o.GlobalOptions.TryGetValue("build_property.ZezeHandle", out var v) && !string.IsNullOrWhiteSpace(v) ? v : "server");
            context.RegisterSourceOutput(files.Combine(side), static (spc, input) =>
            {
                var result = Run(input.Left, input.Right);
                foreach (var d in result.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
                foreach (var (name, text) in result.Sources) spc.AddSource(name, SourceText.From(text, Encoding.UTF8));
            });
        }

        /// <summary>Parses, compiles and emits; separated from Roslyn for tests.</summary>
        public static GeneratorResult Run(ImmutableArray<SchemaFile> files, string side)
        {
            var diagnostics = new DiagnosticBag();
            var sources = new List<(string, string)>();
            string current = files.Length > 0 ? files[0].Path : "solution.xml";
            try
            {
                var solutions = new List<SolutionDef>();
                foreach (var f in files)
                {
                    current = f.Path;
                    if (!LooksLikeSchema(f.Text)) continue;
                    var s = new SchemaParser(f.Path, diagnostics).Parse(f.Text);
                    if (s != null) solutions.Add(s);
                }
                if (solutions.Count == 0) return new GeneratorResult(diagnostics.Items, sources);
                var compiler = new SchemaCompiler(solutions, diagnostics);
                compiler.Compile(files.Select(f => f.Path).ToList());
                if (diagnostics.HasErrors) return new GeneratorResult(diagnostics.Items, sources);
                int flags = SideFlags(side);
                var protocols = compiler.AllModules.SelectMany(m => m.Protocols).ToDictionary(p => p.FullName);
                foreach (var b in compiler.AllBeans)
                    sources.Add((b.FullName + ".g.cs", b.IsKey ? BeanKeyEmitter.Emit(b) : BeanEmitter.Emit(b)));
                foreach (var m in compiler.AllModules)
                {
                    foreach (var p in m.Protocols) sources.Add((p.FullName + ".g.cs", ProtocolEmitter.Emit(p)));
                    foreach (var t in m.Tables) sources.Add((t.FullName + ".table.g.cs", TableEmitter.Emit(t)));
                    var referenced = m.ProtocolRefs.Where(r => !r.ImportOnly)
                        .Select(r => protocols.TryGetValue(r.Ref, out var p) ? p : FindRelative(protocols, m, r.Ref))
                        .Where(p => p != null && p.Module != m).ToList();
                    sources.Add((m.FullName + ".module.g.cs", ModuleEmitter.Emit(m, flags, referenced)));
                }
                sources.Add(("Zeze.Generated.ZezeSchemaCatalog.g.cs", SchemaCatalogEmitter.Emit(compiler.AllBeans)));
            }
            catch (Exception e)
            {
                diagnostics.Add(Diagnostics.InternalError, new SourceLocation(current, 1, 1), e.GetType().Name + ": " + e.Message);
                sources.Clear();
            }
            return new GeneratorResult(diagnostics.Items, sources);
        }

        private static ProtocolDef FindRelative(Dictionary<string, ProtocolDef> protocols, ModuleDef m, string name)
        {
            for (var x = m; x != null; x = x.Parent)
            {
                if (protocols.TryGetValue(x.FullName + "." + name, out var p)) return p;
            }
            return protocols.TryGetValue(m.Solution.Name + "." + name, out var q) ? q : null;
        }

        private static bool LooksLikeSchema(string text)
        {
            // Other XML files (configuration, resources) may be AdditionalFiles too: only <solution> documents are schemas.
            int i = 0;
            while (i < text.Length)
            {
                int lt = text.IndexOf('<', i);
                if (lt < 0 || lt + 1 >= text.Length) return false;
                char c = text[lt + 1];
                if (c == '?' || c == '!')
                {
                    i = lt + 2;
                    continue;
                }
                return string.CompareOrdinal(text, lt + 1, "solution", 0, 8) == 0;
            }
            return false;
        }

        private static int SideFlags(string side)
        {
            int flags = 0;
            foreach (var s in side.Split(','))
            {
                switch (s.Trim().ToLowerInvariant())
                {
                    case "server": flags |= HandleFlags.Server; break;
                    case "client": flags |= HandleFlags.Client; break;
                }
            }
            return flags == 0 ? HandleFlags.Server : flags;
        }
    }

    public sealed class SchemaFile : IEquatable<SchemaFile>
    {
        public SchemaFile(string path, string text)
        {
            Path = path;
            Text = text;
        }

        public string Path { get; }
        public string Text { get; }

        public bool Equals(SchemaFile other) => other != null && Path == other.Path && Text == other.Text;
        public override bool Equals(object obj) => Equals(obj as SchemaFile);
        public override int GetHashCode() => Path.GetHashCode() ^ Text.Length;
    }

    public sealed class GeneratorResult
    {
        public GeneratorResult(IReadOnlyList<SchemaDiagnostic> diagnostics, List<(string, string)> sources)
        {
            Diagnostics = diagnostics;
            Sources = sources;
        }

        public IReadOnlyList<SchemaDiagnostic> Diagnostics { get; }
        public List<(string Name, string Text)> Sources { get; }
    }
}
