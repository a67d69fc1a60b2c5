using System.Diagnostics;
using System.Globalization;

namespace Zeze.Transaction.Tests;

/// <summary>Runs the bank probe (tests/Zeze.BankProbe) as a child process, kills it, and verifies what it left.</summary>
internal static class BankProbeRunner
{
    public static string ProbePath()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string root = here.FullName;
        while (!File.Exists(Path.Combine(root, "Zeze.slnx"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Zeze.slnx not found");
        string path = Path.Combine(root, "tests", "Zeze.BankProbe", "bin", here.Parent!.Name, here.Name, "Zeze.BankProbe.dll");
        Assert.True(File.Exists(path), $"the bank probe is not built at {path}");
        return path;
    }

    private static Process Start(params string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // One argument each: SQL connection strings hold spaces and semicolons.
        psi.ArgumentList.Add(ProbePath());
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the probe");
    }

    /// <summary>Starts transfers, waits for READY, lets them run <paramref name="runFor"/>, kills with SIGKILL. Returns the acknowledged ids.</summary>
    public static async Task<List<long>> RunAndKill(string db, TimeSpan runFor)
    {
        using var process = Start("run", "--db", db, "--accounts", "100", "--workers", "8");
        var acks = new List<long>();
        var stderr = process.StandardError.ReadToEndAsync();
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var readLoop = Task.Run(async () =>
        {
            bool seenReady = false;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "READY") seenReady = true;
                else if (line.StartsWith("ACK ", StringComparison.Ordinal))
                {
                    lock (acks) acks.Add(long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                }
            }
            return seenReady;
        });
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (acks) if (acks.Count > 0) break;
            if (process.HasExited) Assert.Fail($"the probe exited early: {await stderr}");
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) Assert.Fail("the probe acknowledged nothing within 60 s: " + (process.HasExited ? await stderr : "(running)"));
            await Task.Delay(10);
        }
        await Task.Delay(runFor);
        process.Kill(); // SIGKILL: no shutdown code runs
        await process.WaitForExitAsync();
        Assert.True(await readLoop.WaitAsync(TimeSpan.FromSeconds(30)));
        lock (acks) return [.. acks];
    }

    /// <summary>Runs the probe's verification; returns the stored transfer ids. Fails the test on an inconsistency.</summary>
    public static async Task<HashSet<long>> Verify(string db)
    {
        using var process = Start("verify", "--db", db);
        var stored = new HashSet<long>();
        string? verdict = null;
        var stderr = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120)) is { } line)
        {
            if (line.StartsWith("TRANSFER ", StringComparison.Ordinal)) stored.Add(long.Parse(line.AsSpan(9), CultureInfo.InvariantCulture));
            else if (line.StartsWith("OK", StringComparison.Ordinal) || line.StartsWith("FAIL", StringComparison.Ordinal)) verdict = line;
        }
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(verdict != null, "verify printed no verdict: " + await stderr);
        Assert.StartsWith("OK", verdict);
        return stored;
    }
}
