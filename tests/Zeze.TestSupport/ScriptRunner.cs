using System.Diagnostics;

namespace Zeze.TestSupport;

/// <summary>Runs one of the repository's scripts with a time limit; its output goes into the exception on failure.</summary>
public static class ScriptRunner
{
    public static Task<string> RunAsync(string script, string argument, TimeSpan timeout) => RunAsync(script, [argument], timeout);

    /// <summary>Runs scripts/<paramref name="script"/>; <paramref name="environment"/> adds variables. Returns its standard output.</summary>
    public static async Task<string> RunAsync(string script, IReadOnlyList<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", script));
        foreach (string a in arguments) start.ArgumentList.Add(a);
        if (environment != null)
        {
            foreach (var (key, value) in environment) start.Environment[key] = value;
        }
        string command = $"scripts/{script} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot run {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout}: {await stderr}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} failed ({process.ExitCode}): {await stdout}{await stderr}");
        return await stdout;
    }
}
