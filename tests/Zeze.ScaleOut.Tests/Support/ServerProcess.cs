using System.Globalization;

namespace Zeze.ScaleOut.Tests;

/// <summary>An app server child process (tests/Zeze.ScaleOutProbe) joined to a GCM, on a shared database.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _child;

    public int ServerId { get; }

    private ServerProcess(ChildProcess child, int serverId)
    {
        _child = child;
        ServerId = serverId;
    }

    public ChildProcess Child => _child;

    /// <summary>Starts a server and waits until it is READY (or fails the test with its start error).</summary>
    public static async Task<ServerProcess> StartAsync(string db, string gcm, int serverId, int checkpointMs = 200, params string[] extra)
    {
        var server = Launch(db, gcm, serverId, checkpointMs, extra);
        string line = await server._child.ExpectAsync(TimeSpan.FromSeconds(90), "READY", "START-FAILED");
        if (line != "READY")
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"server {serverId} did not start: {line}\n{server._child.Stderr}");
        }
        return server;
    }

    /// <summary>Starts a server without waiting: the caller expects READY or START-FAILED itself.</summary>
    public static ServerProcess Launch(string db, string gcm, int serverId, int checkpointMs = 200, params string[] extra)
    {
        string id = serverId.ToString(CultureInfo.InvariantCulture);
        string[] args = ["--db", db, "--gcm", gcm, "--server-id", id, "--checkpoint-ms", checkpointMs.ToString(CultureInfo.InvariantCulture), .. extra];
        return new ServerProcess(ChildProcess.Start("server-" + id, Programs.Server, args), serverId);
    }

    /// <summary>Runs "write K V"; returns the procedure's result code.</summary>
    public async Task<long> WriteAsync(long key, long value) => Code(await _child.AskAsync($"write {key} {value}", "DONE "));

    public async Task<long> Write2Async(long key1, long key2, long value) => Code(await _child.AskAsync($"write2 {key1} {key2} {value}", "DONE "));

    /// <summary>Runs "read K"; returns (result code, value or -1).</summary>
    public async Task<(long Code, long Value)> ReadAsync(long key)
    {
        string[] w = (await _child.AskAsync($"read {key}", "VALUE ")).Split(' ');
        return (long.Parse(w[1], CultureInfo.InvariantCulture), long.Parse(w[2], CultureInfo.InvariantCulture));
    }

    public Task CheckpointAsync() => _child.AskAsync("checkpoint", "CHECKPOINTED");

    public Task KillAsync() => _child.KillAsync();

    private static long Code(string line) => long.Parse(line.AsSpan(5), CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
