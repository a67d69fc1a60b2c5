using System.CommandLine;
using Zeze.Net;
using Zeze.Services.GlobalCache;
using Zeze.Transaction;

namespace Zeze.Tool;

/// <summary><c>zeze gcm status --host H --port P</c>: prints a GCM's sessions, keys, queues, counters and hot keys.</summary>
internal static class GcmStatusCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "GCM host.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "GCM port.", DefaultValueFactory = _ => GlobalCacheManagerOptions.DefaultPort };
        var timeout = new Option<int>("--timeout") { Description = "How long to wait for the answer, ms.", DefaultValueFactory = _ => 5000 };
        var command = new Command("status", "Print the status of a running Global Cache Manager.");
        command.Options.Add(host);
        command.Options.Add(port);
        command.Options.Add(timeout);
        command.SetAction(async (ParseResult r, CancellationToken cancellationToken) =>
        {
            var (code, text) = await QueryAsync(r.GetValue(host)!, r.GetValue(port), r.GetValue(timeout), cancellationToken);
            if (code == 0) Console.Write(text);
            else await Console.Error.WriteLineAsync(text);
            return code;
        });
        return command;
    }

    /// <summary>Asks the GCM at host:port; returns 0 and the status text, or 1 and the error.</summary>
    public static async Task<(int Code, string Text)> QueryAsync(string host, int port, int timeoutMs, CancellationToken cancellationToken)
    {
        await using var service = new Service("zeze-status", new ServiceOptions { KeepCheckPeriod = 0 });
        service.AddFactoryHandle(GlobalStatus.TypeId_, new ProtocolFactoryHandle(static () => new GlobalStatus(), null, TransactionLevel.None, "GlobalStatus"));
        AsyncSocket socket;
        try
        {
            socket = await service.ConnectAsync(host, port, cancellationToken);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return (1, $"zeze gcm status: cannot connect to {host}:{port}: {e.Message}");
        }
        var rpc = new GlobalStatus();
        long rc = await rpc.SendAsync(socket, timeoutMs);
        if (rc != 0) return (1, $"zeze gcm status: {host}:{port} answered {GlobalResultCodeNames.NameOf(rc)}");
        return (0, rpc.Result.Format());
    }
}
