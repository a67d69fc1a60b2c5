namespace Zeze.ScaleOut.Tests;

/// <summary>Where the programs the tests run as child processes are built (same configuration as the tests).</summary>
public static class Programs
{
    public static string Gcm => Find("src", "Zeze.Tool", "Zeze.Tool.dll");

    public static string Server => Find("tests", "Zeze.ScaleOutProbe", "Zeze.ScaleOutProbe.dll");

    public static string Bank => Find("tests", "Zeze.BankProbe", "Zeze.BankProbe.dll");

    private static string Find(string folder, string project, string dll)
    {
        // This assembly runs from tests/Zeze.ScaleOut.Tests/bin/<configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string root = here.FullName;
        while (!File.Exists(Path.Combine(root, "Zeze.slnx")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Zeze.slnx not found above " + here.FullName);
        string path = Path.Combine(root, folder, project, "bin", here.Parent!.Name, here.Name, dll);
        if (!File.Exists(path)) throw new FileNotFoundException($"{project} is not built at {path} (it is a project reference of the tests)", path);
        return path;
    }
}
