using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Zeze.Generator
{
    /// <summary>The schema compiler's diagnostics. Each points at the schema file and line.</summary>
    public static class Diagnostics
    {
        private const string Category = "Zeze.Schema";

        private static DiagnosticDescriptor Error(string id, string title, string format) =>
            new DiagnosticDescriptor(id, title, format, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor MalformedXml = Error("ZEZE001", "Malformed schema XML", "The schema is not well-formed XML: {0}");
        public static readonly DiagnosticDescriptor UnknownElement = Error("ZEZE002", "Unknown schema element", "<{0}> is not allowed inside <{1}>{2}");
        public static readonly DiagnosticDescriptor UnknownAttribute = Error("ZEZE003", "Unknown schema attribute", "Attribute '{0}' is not allowed on <{1}>{2}");
        public static readonly DiagnosticDescriptor MissingAttribute = Error("ZEZE004", "Missing schema attribute", "<{0}> needs the attribute '{1}'");
        public static readonly DiagnosticDescriptor InvalidName = Error("ZEZE005", "Invalid name", "'{0}' is not a valid name for {1}: {2}");
        public static readonly DiagnosticDescriptor UnknownType = Error("ZEZE006", "Unknown type", "Unknown type '{0}' for {1}");
        public static readonly DiagnosticDescriptor DuplicateVariableId = Error("ZEZE007", "Duplicate variable id", "Variable id {0} is used twice in {1} ('{2}' and '{3}')");
        public static readonly DiagnosticDescriptor DuplicateVariableName = Error("ZEZE008", "Duplicate variable name", "Variable name '{0}' is used twice in {1}");
        public static readonly DiagnosticDescriptor VariableIdOutOfRange = Error("ZEZE009", "Variable id out of range", "Variable id {0} of '{1}' must be between 1 and 4095");
        public static readonly DiagnosticDescriptor NotKeyable = Error("ZEZE010", "Type cannot be a key", "{0} '{1}' cannot be {2}: keys, set elements and bean key fields must be bool, byte, short, int, long, string, binary, decimal, a vector or a beankey");
        public static readonly DiagnosticDescriptor ModuleIdNotAllowed = Error("ZEZE011", "Module id outside the allowed ranges", "Module id {0} of '{1}' is outside ModuleIdAllowRanges=\"{2}\"");
        public static readonly DiagnosticDescriptor DuplicateModuleId = Error("ZEZE012", "Duplicate module id", "Module id {0} is used by '{1}' and '{2}'");
        public static readonly DiagnosticDescriptor DuplicateName = Error("ZEZE013", "Duplicate name", "'{0}' is defined twice (names are compared ignoring case)");
        public static readonly DiagnosticDescriptor InvalidValue = Error("ZEZE014", "Invalid attribute value", "'{0}' is not a valid value for '{1}' of <{2}>: {3}");
        public static readonly DiagnosticDescriptor DuplicateId = Error("ZEZE015", "Duplicate id", "{0} id {1} of '{2}' is already used by '{3}'");
        public static readonly DiagnosticDescriptor BeanCycle = Error("ZEZE016", "Bean contains itself", "Bean '{0}' contains itself through {1}; only containers (list, map) may refer back");
        public static readonly DiagnosticDescriptor ImportNotFound = Error("ZEZE017", "Imported schema not found", "Imported schema '{0}' is not among the project's AdditionalFiles (looked for '{1}')");
        public static readonly DiagnosticDescriptor NotSupported = Error("ZEZE018", "Schema feature not supported", "{0} is not supported by Zeze for .NET: {1}");
        public static readonly DiagnosticDescriptor InvalidDefault = Error("ZEZE019", "Invalid default value", "default=\"{0}\" is not valid for '{1}' of type {2}: {3}");
        public static readonly DiagnosticDescriptor UnknownReference = Error("ZEZE020", "Unknown reference", "{0} '{1}' does not exist");
        public static readonly DiagnosticDescriptor InternalError = Error("ZEZE021", "Schema compiler error", "The schema compiler failed on this file (please report it): {0}");
        public static readonly DiagnosticDescriptor ReservedMember = Error("ZEZE022", "Name reserved by generated code", "Variable '{0}' of '{1}' would clash with a member of the generated class; rename it");
    }

    /// <summary>A diagnostic with its schema location, collected while compiling a schema.</summary>
    public sealed class SchemaDiagnostic
    {
        public SchemaDiagnostic(DiagnosticDescriptor descriptor, SourceLocation location, object[] args)
        {
            Descriptor = descriptor;
            Location = location;
            Args = args;
        }

        public DiagnosticDescriptor Descriptor { get; }
        public SourceLocation Location { get; }
        public object[] Args { get; }

        public Diagnostic ToDiagnostic()
        {
            var start = new LinePosition(System.Math.Max(0, Location.Line - 1), System.Math.Max(0, Location.Column - 1));
            var location = Location.File == null
                ? Microsoft.CodeAnalysis.Location.None
                : Microsoft.CodeAnalysis.Location.Create(Location.File, new TextSpan(0, 0), new LinePositionSpan(start, start));
            return Diagnostic.Create(Descriptor, location, Args);
        }

        public override string ToString() => $"{Location}: {Descriptor.Id}: {string.Format(Descriptor.MessageFormat.ToString(), Args)}";
    }

    /// <summary>A file and line (1-based) in a schema.</summary>
    public readonly struct SourceLocation
    {
        public SourceLocation(string file, int line, int column)
        {
            File = file;
            Line = line;
            Column = column;
        }

        public string File { get; }
        public int Line { get; }
        public int Column { get; }

        public override string ToString() => $"{File}({Line},{Column})";
    }

    public sealed class DiagnosticBag
    {
        private readonly List<SchemaDiagnostic> _items = new List<SchemaDiagnostic>();

        public IReadOnlyList<SchemaDiagnostic> Items => _items;

        public bool HasErrors => _items.Count > 0;

        public void Add(DiagnosticDescriptor d, SourceLocation at, params object[] args) => _items.Add(new SchemaDiagnostic(d, at, args));
    }
}
