using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Zeze.ScaleOut.Tests;

/// <summary>
/// A child process started from a built .NET program of this repository, talked to by lines: the test writes
/// commands on its stdin and waits for lines on its stdout (with bounded timeouts). Stderr is kept for failure
/// messages. <see cref="Kill"/> sends SIGKILL: no shutdown code runs in the child.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readOut;
    private readonly Task _readErr;

    public string Name { get; }

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _readOut = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line) _lines.Writer.TryWrite(line);
            _lines.Writer.TryComplete();
        });
        _readErr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr)
                {
                    if (_stderr.Length < 200_000) _stderr.AppendLine(line);
                }
            }
        });
    }

    /// <summary>Runs <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c>.</summary>
    public static ChildProcess Start(string name, string dll, params string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (string a in arguments) psi.ArgumentList.Add(a); // one each: connection strings hold spaces and ';'
        return new ChildProcess(name, Process.Start(psi) ?? throw new InvalidOperationException($"could not start {name}"));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>The next stdout line that starts with one of <paramref name="prefixes"/> (others are skipped).</summary>
    public async Task<string> ExpectAsync(TimeSpan timeout, params string[] prefixes)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(cts.Token);
                if (prefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal))) return line;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: no line starting with {string.Join(" or ", prefixes)} within {timeout.TotalSeconds:0.#} s; stderr:\n{Tail(Stderr)}");
        }
        catch (ChannelClosedException)
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before a line starting with {string.Join(" or ", prefixes)}; stderr:\n{Tail(Stderr)}");
        }
    }

    /// <summary>Every stdout line not consumed yet, up to the end of the output (the child exits).</summary>
    public async Task<List<string>> ReadToEndAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var list = new List<string>();
        try
        {
            await foreach (string line in _lines.Reader.ReadAllAsync(cts.Token)) list.Add(line);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: output did not end within {timeout.TotalSeconds:0.#} s; stderr:\n{Tail(Stderr)}");
        }
        return list;
    }

    /// <summary>Every stdout line received so far that was not consumed by <see cref="ExpectAsync"/>.</summary>
    public List<string> Drain()
    {
        var list = new List<string>();
        while (_lines.Reader.TryRead(out var line)) list.Add(line);
        return list;
    }

    /// <summary>Sends a command line and returns the next answer line starting with <paramref name="answerPrefix"/>.</summary>
    public async Task<string> AskAsync(string command, string answerPrefix, TimeSpan? timeout = null)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ExpectAsync(timeout ?? TimeSpan.FromSeconds(30), answerPrefix);
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>SIGKILL, then waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await Task.WhenAll(_readOut, _readErr).WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }
}
