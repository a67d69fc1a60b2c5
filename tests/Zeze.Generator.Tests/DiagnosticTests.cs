using System.Collections.Immutable;

namespace Zeze.Generator.Tests;

/// <summary>Each kind of bad schema is a compile error naming the schema file and line — never a crash or wrong code.</summary>
public class DiagnosticTests
{
    private static IReadOnlyList<SchemaDiagnostic> Compile(string xml, string path = "/p/solution.xml", params SchemaFile[] more)
    {
        var files = ImmutableArray.Create(new SchemaFile(path, xml)).AddRange(more);
        var result = SchemaGenerator.Run(files, "server");
        if (result.Diagnostics.Count > 0) Assert.Empty(result.Sources); // nothing is generated from a bad schema
        return result.Diagnostics;
    }

    private static SchemaDiagnostic Single(string xml, string id)
    {
        var ds = Compile(xml);
        var d = Assert.Single(ds, x => x.Descriptor.Id == id);
        Assert.Equal("/p/solution.xml", d.Location.File);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Descriptor.DefaultSeverity);
        return d;
    }

    private static string Solution(string body, string attrs = "") => $"<solution name=\"s\"{attrs}>\n{body}\n</solution>";

    [Fact]
    public void ValidSchemaHasNoDiagnostics()
    {
        var r = SchemaGenerator.Run(ImmutableArray.Create(new SchemaFile("/p/solution.xml", Solution(
            "<module name=\"M\" id=\"1\"><bean name=\"B\"><variable id=\"1\" name=\"A\" type=\"int\"/></bean></module>"))), "server");
        Assert.Empty(r.Diagnostics);
        Assert.NotEmpty(r.Sources);
    }

    [Fact]
    public void MalformedXml()
    {
        var d = Single("<solution name=\"s\">\n<module name=\"M\" id=\"1\">\n</solution>", "ZEZE001");
        Assert.Equal(3, d.Location.Line);
    }

    [Fact]
    public void UnknownType()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\">\n  <bean name=\"B\">\n    <variable id=\"1\" name=\"A\" type=\"integer\"/>\n  </bean>\n</module>"), "ZEZE006");
        Assert.Equal(4, d.Location.Line);
        Assert.Contains("integer", d.ToString());
    }

    [Fact]
    public void DuplicateVariableId()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\">\n<variable id=\"1\" name=\"A\" type=\"int\"/>\n<variable id=\"1\" name=\"C\" type=\"int\"/>\n</bean></module>"), "ZEZE007");
        Assert.Equal(4, d.Location.Line);
    }

    [Fact]
    public void DuplicateVariableName()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\">\n<variable id=\"1\" name=\"A\" type=\"int\"/>\n<variable id=\"2\" name=\"A\" type=\"int\"/>\n</bean></module>"), "ZEZE008");
        Assert.Equal(4, d.Location.Line);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4096")]
    [InlineData("-1")]
    public void VariableIdOutOfRange(string id)
    {
        var d = Single(Solution($"<module name=\"M\" id=\"1\"><bean name=\"B\">\n<variable id=\"{id}\" name=\"A\" type=\"int\"/>\n</bean></module>"), "ZEZE009");
        Assert.Equal(3, d.Location.Line);
    }

    [Theory]
    [InlineData("<table name=\"T\" key=\"float\" value=\"B\"/>")]
    [InlineData("<table name=\"T\" key=\"B\" value=\"B\"/>")]
    [InlineData("<table name=\"T\" key=\"list[int]\" value=\"B\"/>")]
    [InlineData("<bean name=\"C\"><variable id=\"1\" name=\"S\" type=\"set[B]\"/></bean>")]
    [InlineData("<bean name=\"C\"><variable id=\"1\" name=\"S\" type=\"map[double,int]\"/></bean>")]
    [InlineData("<beankey name=\"K\"><variable id=\"1\" name=\"S\" type=\"list[int]\"/></beankey>")]
    public void KeyThatCannotBeAKey(string decl)
    {
        var d = Single(Solution($"<module name=\"M\" id=\"1\"><bean name=\"B\"/>\n{decl}\n</module>"), "ZEZE010");
        Assert.Equal(3, d.Location.Line);
    }

    [Fact]
    public void ModuleIdOutsideAllowRanges()
    {
        var d = Single(Solution("\n<module name=\"M\" id=\"4\"/>", " ModuleIdAllowRanges=\"1-3,5\""), "ZEZE011");
        Assert.Equal(3, d.Location.Line);
        Assert.Contains("1-3,5", d.ToString());
    }

    [Fact]
    public void DuplicateModuleId()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\"/>\n<module name=\"N\" id=\"1\"/>"), "ZEZE012");
        Assert.Equal(3, d.Location.Line);
    }

    [Fact]
    public void UnknownAttributeWithSuggestion()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\">\n<bean name=\"B\" Equals=\"true\"/>\n</module>"), "ZEZE003");
        Assert.Equal(3, d.Location.Line);
        Assert.Contains("did you mean 'equals'", d.ToString());
    }

    [Fact]
    public void UnknownElement()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\">\n<struct name=\"B\"/>\n</module>"), "ZEZE002");
        Assert.Equal(3, d.Location.Line);
    }

    [Fact]
    public void MissingAttribute()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\">\n<bean/>\n</module>"), "ZEZE004");
        Assert.Equal(3, d.Location.Line);
    }

    [Fact]
    public void InvalidNames()
    {
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\">\n<variable id=\"1\" name=\"_a\" type=\"int\"/>\n</bean></module>"), "ZEZE005");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\">\n<variable id=\"1\" name=\"end\" type=\"int\"/>\n</bean></module>"), "ZEZE005");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\">\n<variable id=\"1\" name=\"TypeId\" type=\"int\"/>\n</bean></module>"), "ZEZE022");
    }

    [Fact]
    public void DuplicateNamesIgnoringCase()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\"/>\n<bean name=\"b\"/></module>"), "ZEZE013");
        Assert.Equal(3, d.Location.Line);
    }

    [Fact]
    public void InvalidValues()
    {
        Single(Solution("<module name=\"M\" id=\"x\"/>"), "ZEZE014");
        Single(Solution("<module name=\"M\" id=\"1\"><protocol name=\"P\" handle=\"serverside\"/></module>"), "ZEZE014");
        Single(Solution("<module name=\"M\" id=\"1\"><protocol name=\"P\" TransactionLevel=\"Fast\"/></module>"), "ZEZE014");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\" equals=\"yes\"/></module>"), "ZEZE014");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\"/><table name=\"T\" key=\"int\" value=\"B\" autokey=\"true\"/></module>"), "ZEZE014");
    }

    [Fact]
    public void DuplicateIds()
    {
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"A\" TypeId=\"5\"/><bean name=\"B\" TypeId=\"5\"/></module>"), "ZEZE015");
        Single(Solution("<module name=\"M\" id=\"1\"><protocol name=\"A\" id=\"7\"/><protocol name=\"B\" id=\"7\"/></module>"), "ZEZE015");
    }

    [Fact]
    public void BeanContainingItself()
    {
        var d = Single(Solution("<module name=\"M\" id=\"1\">\n<bean name=\"A\"><variable id=\"1\" name=\"B\" type=\"B\"/></bean>\n<bean name=\"B\"><variable id=\"1\" name=\"A\" type=\"A\"/></bean></module>"), "ZEZE016");
        Assert.Contains("->", d.ToString());
        // Through a container it is fine.
        Assert.Empty(Compile(Solution("<module name=\"M\" id=\"1\"><bean name=\"A\"><variable id=\"1\" name=\"Kids\" type=\"list[A]\"/></bean></module>")));
    }

    [Fact]
    public void ImportMustBeAnAdditionalFile()
    {
        var d = Single(Solution("\n<import file=\"missing.xml\"/>"), "ZEZE017");
        Assert.Equal(3, d.Location.Line);
        var ok = Compile(Solution("<import file=\"sub/other.xml\"/>"), "/p/solution.xml",
            new SchemaFile("/p/sub/other.xml", "<solution name=\"o\"/>"));
        Assert.Empty(ok);
    }

    [Fact]
    public void UnsupportedFeatures()
    {
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"A\"/><bean name=\"B\" base=\"A\"/></module>"), "ZEZE018");
        Single(Solution("<module name=\"M\" id=\"1\"><servlet name=\"S\"/></module>"), "ZEZE018");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\"><variable id=\"1\" name=\"G\" type=\"gtable[int,int,int]\"/></bean></module>"), "ZEZE018");
    }

    [Fact]
    public void InvalidDefaults()
    {
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\"><variable id=\"1\" name=\"A\" type=\"int\" default=\"abc\"/></bean></module>"), "ZEZE019");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\"><variable id=\"1\" name=\"A\" type=\"byte\" default=\"300\"/></bean></module>"), "ZEZE019");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\"><variable id=\"1\" name=\"A\" type=\"list[int]\" default=\"1\"/></bean></module>"), "ZEZE019");
    }

    [Fact]
    public void UnknownReferences()
    {
        Single(Solution("<module name=\"M\" id=\"1\"><protocolref ref=\"M.Nope\"/></module>"), "ZEZE020");
        Single(Solution("<module name=\"M\" id=\"1\"><bean name=\"B\" version=\"V\"/></module>"), "ZEZE020");
        Single(Solution("<module name=\"M\" id=\"1\"/><project name=\"p\" GenDir=\"g\" SrcDir=\"s\"><module ref=\"Other\"/></project>"), "ZEZE020");
    }

    [Fact]
    public void NonSchemaXmlIsIgnored()
    {
        var r = SchemaGenerator.Run(ImmutableArray.Create(new SchemaFile("/p/app.config.xml", "<?xml version=\"1.0\"?><configuration/>")), "server");
        Assert.Empty(r.Diagnostics);
        Assert.Empty(r.Sources);
    }
}
