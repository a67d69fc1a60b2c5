using System.Collections.Concurrent;
using Zeze.Net;
using Zeze.Services.GlobalCache;
using Zeze.Transaction;

namespace Zeze.GlobalCache.Tests;

/// <summary>
/// An app server reduced to its wire behaviour, for testing the GCM alone: logs in, sends acquires, and answers
/// reduces by a policy the test chooses. With <see cref="HoldsLocksWhileAcquiring"/> it behaves like a real server's
/// lockey: a reduce of a key waits while this server's own acquire of that key is outstanding.
/// </summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly Service _service;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _acquiring = new();

    private FakeServer(int serverId)
    {
        ServerId = serverId;
        _service = new Service("fake-" + serverId, new ServiceOptions { KeepCheckPeriod = 0 });
        foreach (var (id, f) in new (long, Func<Protocol>)[]
                 {
                     (Acquire.TypeId_, () => new Acquire()), (Login.TypeId_, () => new Login()), (ReLogin.TypeId_, () => new ReLogin()),
                     (NormalClose.TypeId_, () => new NormalClose()), (GlobalKeepAlive.TypeId_, () => new GlobalKeepAlive()),
                     (GlobalStatus.TypeId_, () => new GlobalStatus()),
                 })
            _service.AddFactoryHandle(id, new ProtocolFactoryHandle(f, null, TransactionLevel.None, "test"));
        _service.AddFactoryHandle(Reduce.TypeId_, new ProtocolFactoryHandle(() => new Reduce(), p => HandleReduce((Reduce)p), TransactionLevel.None, "test.Reduce"));
    }

    public int ServerId { get; }
    public AsyncSocket Socket { get; private set; } = null!;

    /// <summary>Reduces received: key, requester fresh, when.</summary>
    public ConcurrentQueue<(byte[] Key, bool Fresh, DateTime At)> Reduces { get; } = new();

    /// <summary>How to answer a reduce (default: Invalid, success, at once). Return null to never answer.</summary>
    public Func<GlobalKeyState, Task<(int State, long Code)?>> OnReduce { get; set; } =
        _ => Task.FromResult<(int, long)?>((GlobalState.Invalid, GlobalResultCode.Success));

    public bool HoldsLocksWhileAcquiring { get; set; }

    public static async Task<FakeServer> ConnectAsync(int port, int serverId, bool login = true, bool debug = false)
    {
        var f = new FakeServer(serverId);
        f.Socket = await f._service.ConnectAsync("127.0.0.1", port);
        if (login)
        {
            long rc = await f.LoginAsync(debug);
            // The previous connection of this server id (closed by a test a moment ago) may not be unbound at the
            // GCM yet: it refuses with LoginBindSocketFail until it sees the close. Try again for a bounded time.
            var until = DateTime.UtcNow.AddSeconds(10);
            while (rc == GlobalResultCode.LoginBindSocketFail && DateTime.UtcNow < until)
            {
                await Task.Delay(20);
                rc = await f.LoginAsync(debug);
            }
            Assert.Equal(0, rc);
        }
        return f;
    }

    public async Task<long> LoginAsync(bool debug = false)
    {
        var rpc = new Login { Argument = new LoginParam { ServerId = ServerId, DebugMode = debug } };
        return await rpc.SendAsync(Socket, 5000);
    }

    public async Task<(long Code, AchillesHeelConfig Config)> LoginWithConfigAsync()
    {
        var rpc = new Login { Argument = new LoginParam { ServerId = ServerId } };
        long rc = await rpc.SendAsync(Socket, 5000);
        return (rc, rpc.Result);
    }

    public async Task<long> ReLoginAsync()
    {
        var rpc = new ReLogin { Argument = new LoginParam { ServerId = ServerId } };
        return await rpc.SendAsync(Socket, 5000);
    }

    public async Task<long> NormalCloseAsync() => await new NormalClose().SendAsync(Socket, 5000);

    public async Task<long> KeepAliveAsync() => await new GlobalKeepAlive().SendAsync(Socket, 5000);

    public async Task<GlobalStatusInfo> StatusAsync()
    {
        var rpc = new GlobalStatus();
        Assert.Equal(0, await rpc.SendAsync(Socket, 5000));
        return rpc.Result;
    }

    /// <summary>Sends an acquire (or a release with state 0) and returns the granted state and the code.</summary>
    public async Task<(int State, long Code)> AcquireAsync(byte[] key, int state, bool fresh = false, int timeoutMs = 5000)
    {
        using var held = HoldsLocksWhileAcquiring ? HoldLock(key) : null;
        var rpc = new Acquire();
        rpc.Argument.GlobalKey = new Serialize.Binary(key);
        rpc.Argument.State = state;
        rpc.Argument.Fresh = fresh;
        long rc = await rpc.SendAsync(Socket, timeoutMs);
        return (rc is 0 or 22 or 25 ? rpc.Result.State : GlobalState.Invalid, rc);
    }

    /// <summary>Holds this server's lock of <paramref name="key"/> (as a transaction does): reduces of it wait until disposed.</summary>
    public IDisposable HoldLock(byte[] key)
    {
        var hex = Convert.ToHexString(key);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _acquiring[hex] = held;
        return new Held(() =>
        {
            _acquiring.TryRemove(new KeyValuePair<string, TaskCompletionSource>(hex, held));
            held.TrySetResult();
        });
    }

    private sealed class Held(Action release) : IDisposable
    {
        public void Dispose() => release();
    }

    /// <summary>Starts an acquire without awaiting it.</summary>
    public Task<(int State, long Code)> StartAcquire(byte[] key, int state, bool fresh = false, int timeoutMs = 5000) =>
        Task.Run(() => AcquireAsync(key, state, fresh, timeoutMs));

    private ValueTask<long> HandleReduce(Reduce rpc)
    {
        Reduces.Enqueue((rpc.Argument.GlobalKey.ToArray(), rpc.Argument.Fresh, DateTime.UtcNow));
        _ = AnswerAsync(rpc);
        return ValueTask.FromResult(0L);
    }

    private async Task AnswerAsync(Reduce rpc)
    {
        if (_acquiring.TryGetValue(Convert.ToHexString(rpc.Argument.GlobalKey.Span), out var held))
            await held.Task;
        var answer = await OnReduce(rpc.Argument);
        if (answer is not { } a) return;
        rpc.Result = new GlobalKeyState { GlobalKey = rpc.Argument.GlobalKey, State = a.State };
        rpc.ResultCode = a.Code;
        rpc.SendResult();
    }

    public void Close() => Socket.Close("test closes it");

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();
}
