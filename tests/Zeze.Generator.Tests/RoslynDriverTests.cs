using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Zeze.Generator.Tests;

/// <summary>The generator inside a real compilation: diagnostics carry the schema's path and line, and the
/// generated code compiles without warnings under this repository's settings.</summary>
public class RoslynDriverTests
{
    private sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(string schema, string code = "")
    {
        var refs = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0 && a.GetName().Name != "Zeze.Generator.Tests")
            .Select(a => MetadataReference.CreateFromFile(a.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Zeze.Application).Assembly.Location));
        var compilation = CSharpCompilation.Create("t",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Preview))],
            refs, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SchemaGenerator().AsSourceGenerator()],
            [new Text("/schemas/solution.xml", schema)], new CSharpParseOptions(LanguageVersion.Preview));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (output, diagnostics);
    }

    [Fact]
    public void SchemaErrorIsACompilerDiagnosticWithFileAndLine()
    {
        var (_, diagnostics) = Run("<solution name=\"s\">\n<module name=\"M\" id=\"1\">\n<bean name=\"B\"><variable id=\"1\" name=\"A\" type=\"nope\"/></bean>\n</module>\n</solution>");
        var d = Assert.Single(diagnostics);
        Assert.Equal("ZEZE006", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var span = d.Location.GetLineSpan();
        Assert.Equal("/schemas/solution.xml", span.Path);
        Assert.Equal(2, span.StartLinePosition.Line); // 0-based: line 3
    }

    [Fact]
    public void GeneratedCodeCompilesWithoutWarnings()
    {
        string schema = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Schemas", "solution.xml"))
            .Replace("<import file=\"solution.other.xml\"/>", "")
            .Replace("interface=\"demo.Module1.IHasInt1\"", "");
        string handlers = """
            namespace demo.Module1 {
              public sealed partial class ModuleModule1 {
                private partial System.Threading.Tasks.ValueTask<long> ProcessProtocol1Async(Protocol1 p) => default;
                private partial System.Threading.Tasks.ValueTask<long> ProcessProtocol3Async(Protocol3 p) => default;
                private partial System.Threading.Tasks.ValueTask<long> ProcessProtocolNoProcedureAsync(ProtocolNoProcedure p) => default;
                private partial System.Threading.Tasks.ValueTask<long> ProcessExplicitAsync(Explicit p) => default;
                private partial System.Threading.Tasks.ValueTask<long> ProcessRpc1RequestAsync(Rpc1 rpc) => default;
                private partial System.Threading.Tasks.ValueTask<long> ProcessRpcEmptyRequestAsync(RpcEmpty rpc) => default;
              }
            }
            namespace demo.Module1.Module11 { public sealed partial class ModuleModule11 { private partial System.Threading.Tasks.ValueTask<long> ProcessDeepAsync(Deep p) => default; } }
            namespace demo.Module2 { public sealed partial class ModuleModule2 { private partial System.Threading.Tasks.ValueTask<long> ProcessProtocol3Async(demo.Module1.Protocol3 p) => default; } }
            """;
        var (output, diagnostics) = Run(schema, handlers);
        Assert.Empty(diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    [Fact]
    public void MissingHandlerIsACompileErrorNamingTheMethod()
    {
        var (output, _) = Run("<solution name=\"s\"><module name=\"M\" id=\"1\"><protocol name=\"P\" handle=\"server\"/></module></solution>");
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Contains(errors, e => e.GetMessage().Contains("ProcessPAsync"));
    }
}
