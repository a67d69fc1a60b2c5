using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Zeze.Net.Tests;

/// <summary>
/// The rpc object is the awaitable source of SendAsync: awaiting it must behave as awaiting any ValueTask
/// (captured synchronization contexts, completion racing the registration, misuse refused).
/// </summary>
public class RpcCompletionTests
{
    /// <summary>Runs posted work on its own thread, as a UI or game-loop context does.</summary>
    private sealed class SingleThreadContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
        private readonly Thread _thread;
        public int Posts;

        public SingleThreadContext()
        {
            _thread = new Thread(() =>
            {
                SetSynchronizationContext(this);
                foreach (var (callback, state) in _queue.GetConsumingEnumerable()) callback(state);
            }) { IsBackground = true, Name = "test context" };
            _thread.Start();
        }

        public int ThreadId => _thread.ManagedThreadId;

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref Posts);
            _queue.Add((d, state));
        }

        public override SynchronizationContext CreateCopy() => this;

        public void Dispose() => _queue.CompleteAdding();
    }

    /// <summary>An echo server and a client connected to it; disposing stops both.</summary>
    private sealed class Connected(Service server, Service client, AsyncSocket socket) : IAsyncDisposable
    {
        public Service Client { get; } = client;
        public AsyncSocket Socket { get; } = socket;

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    private static async Task<Connected> ConnectAsync()
    {
        var server = new Service("server", Echo.Options()).WithEcho();
        await server.StartAsync();
        var client = new Service("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        return new Connected(server, client, await client.ConnectReadyAsync(server));
    }

    [Fact]
    public async Task AnAwaitUnderASynchronizationContextResumesOnIt()
    {
        await using var connected = await ConnectAsync();
        var so = connected.Socket;
        using var context = new SingleThreadContext();
        var resumedOn = new TaskCompletionSource<(long Rc, int Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Post(async _ =>
        {
            var rpc = new EchoRpc();
            rpc.Argument.Id = 9;
            rpc.Argument.DelayMs = 50; // still waiting when the await registers
            long rc = await rpc.SendAsync(so);
            resumedOn.SetResult((rc, Environment.CurrentManagedThreadId));
        }, null);

        var (rc, thread) = await resumedOn.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, rc);
        Assert.Equal(context.ThreadId, thread); // not the connection's receive loop
        Assert.True(context.Posts >= 2, $"posts: {context.Posts}"); // the first callback and the continuation
    }

    [Fact]
    public async Task ACompletionThatWinsTheRaceWithTheRegistrationStillRunsTheContinuation()
    {
        await using var connected = await ConnectAsync();
        var so = connected.Socket;
        var rpc = new EchoRpc();
        rpc.Argument.Id = 4;
        var pending = rpc.SendAsync(so);
        await Wait.UntilAsync(() => connected.Client.PendingRpcCount == 0 && rpc.ResultCode == 0 && rpc.Result.Id == 4, "the response");

        // The awaiter looked before completion and registers after it: OnCompleted meets a completed source.
        var ran = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = (System.Threading.Tasks.Sources.IValueTaskSource<long>)rpc;
        short token = GetToken(pending);
        source.OnCompleted(_ => ran.SetResult(source.GetResult(token)), null, token,
            System.Threading.Tasks.Sources.ValueTaskSourceOnCompletedFlags.None);
        Assert.Equal(0, await ran.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task TheValueOfAnEarlierSendCannotBeReadAfterTheRpcIsSentAgain()
    {
        await using var connected = await ConnectAsync();
        var so = connected.Socket;
        var rpc = new EchoRpc();
        var first = rpc.SendAsync(so);
        Assert.Equal(0, await first);
        Assert.Equal(0, await rpc.SendAsync(so));
        var error = Assert.Throws<InvalidOperationException>(() => first.GetAwaiter().GetResult());
        Assert.Contains("sent again", error.Message);
    }

    [Fact]
    public async Task AsTaskAndConfigureAwaitFalseComplete()
    {
        await using var connected = await ConnectAsync();
        var so = connected.Socket;
        var rpc = new EchoRpc();
        rpc.Argument.DelayMs = 20;
        Assert.Equal(0, await rpc.SendAsync(so).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await SendWithoutContextAsync(so));
    }

    private static async Task<long> SendWithoutContextAsync(AsyncSocket so)
    {
        var rpc = new EchoRpc();
        rpc.Argument.DelayMs = 20;
        return await rpc.SendAsync(so).ConfigureAwait(false);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_token")]
    private static extern ref short TokenOf(ref ValueTask<long> task);

    private static short GetToken(ValueTask<long> task) => TokenOf(ref task);
}
