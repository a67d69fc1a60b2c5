using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Zeze.Bench.Distributed;

/// <summary>
/// A server process of a distributed workload: this bench's own dll run again with <c>--role g-server</c>, talked to
/// by lines (commands on its stdin, answers on its stdout), each wait bounded. Its stderr is kept for the report when
/// something goes wrong.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readOut;
    private readonly Task _readErr;

    public string Name { get; }

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        // Threads of their own (blocking reads): the runner's thread pool serves the embedded GCM.
        _readOut = StartReader($"{name} stdout", () =>
        {
            try
            {
                while (process.StandardOutput.ReadLine() is { } line) _lines.Writer.TryWrite(line);
            }
            finally
            {
                _lines.Writer.TryComplete(); // the process is gone: ExpectAsync reports it instead of waiting
            }
        });
        _readErr = StartReader($"{name} stderr", () =>
        {
            while (process.StandardError.ReadLine() is { } line)
            {
                lock (_stderr)
                {
                    if (_stderr.Length < 100_000) _stderr.AppendLine(line); // a runaway log must not eat the runner's memory
                }
            }
        });
    }

    private static Task StartReader(string name, Action read)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                read();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = name }.Start();
        return done.Task;
    }

    /// <summary>Starts <c>dotnet Zeze.Bench.dll --role g-server ARGUMENTS</c>.</summary>
    public static ServerProcess Start(string name, IEnumerable<string> arguments)
    {
        string dll = typeof(ServerProcess).Assembly.Location;
        // Under "dotnet Zeze.Bench.dll" the host is dotnet itself; under "dotnet run" it is the apphost, so take dotnet from PATH.
        string? host = Environment.ProcessPath;
        if (host == null || !Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) host = "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--role");
        psi.ArgumentList.Add("g-server");
        foreach (string a in arguments) psi.ArgumentList.Add(a); // one each: connection strings hold ';' and spaces
        return new ServerProcess(name, Process.Start(psi) ?? throw new InvalidOperationException($"could not start {name}"));
    }

    /// <summary>The last lines of its stderr (the logs of its warnings and errors).</summary>
    public string StderrTail
    {
        get
        {
            string text;
            lock (_stderr) text = _stderr.ToString();
            return text.Length <= 6000 ? text : "..." + text[^6000..];
        }
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The next stdout line starting with <paramref name="prefix"/> (other lines are skipped). A line starting with
    /// "FAILED" is the server's own report of an error and ends the wait with it.
    /// </summary>
    public async Task<string> ExpectAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
                if (line.StartsWith("FAILED", StringComparison.Ordinal))
                    throw new InvalidOperationException($"{Name}: {line}\n{Name} stderr:\n{StderrTail}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: no '{prefix}' line within {timeout.TotalSeconds:0} s\n{Name} stderr:\n{StderrTail}");
        }
        catch (ChannelClosedException)
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before a '{prefix}' line\n{Name} stderr:\n{StderrTail}");
        }
    }

    /// <summary>Sends a command and waits for its answer.</summary>
    public async Task<string> AskAsync(string command, string answerPrefix, TimeSpan timeout)
    {
        await SendAsync(command).ConfigureAwait(false);
        return await ExpectAsync(answerPrefix, timeout).ConfigureAwait(false);
    }

    /// <summary>Asks for a normal stop (the final checkpoint runs there); kills the process when that does not end in time.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        try
        {
            await AskAsync("STOP", "STOPPED", timeout).ConfigureAwait(false);
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"{Name} did not stop cleanly: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it exited meanwhile
            }
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await Task.WhenAll(_readOut, _readErr).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }
}
