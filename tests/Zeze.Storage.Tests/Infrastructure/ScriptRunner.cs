using System.Diagnostics;

namespace Zeze.Storage.Tests.Infrastructure;

/// <summary>Runs one of the repository's scripts with a time limit; its output goes into the exception on failure.</summary>
internal static class ScriptRunner
{
    public static async Task RunAsync(string script, string argument, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "scripts", script), argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot run scripts/{script}");
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
            throw new TimeoutException($"scripts/{script} {argument} did not finish within {timeout}: {await stderr}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/{script} {argument} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }
}
