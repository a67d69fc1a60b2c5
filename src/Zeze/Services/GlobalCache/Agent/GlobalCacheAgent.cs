using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zeze.Net;
using Zeze.Serialize;
using Zeze.Transaction;

namespace Zeze.Services.GlobalCache;

/// <summary>
/// The app server's side of the global cache (global-and-raft.md A6, A9, A11, A13): one connection per GCM
/// instance, keys routed by <see cref="GlobalKeyHash"/>; acquires and releases for the transaction core; reduces
/// from the GCM handed to the core's <see cref="IGlobalCacheHandler"/>; the AchillesHeel daemon.
/// </summary>
/// <remarks>
/// Life cycle: construct with the options and the handler, <see cref="StartAsync"/> (connects and waits until every
/// instance logged in), use, then <see cref="StopAsync"/> after the core's final checkpoint (A10): it sends
/// NormalClose, so the GCMs release this server's keys at once.
/// </remarks>
public sealed class GlobalCacheAgent : IGlobalCacheAgent, IGlobalCacheAgentLifecycle, IAsyncDisposable
{
    private readonly AgentInstance[] _instances;
    private readonly AgentService _service;
    private int _state; // 0 new, 1 started, 2 stopped

    public GlobalCacheAgent(GlobalCacheAgentOptions options, IGlobalCacheHandler handler, ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException($"Global cache agent options are invalid: {string.Join(" ", errors)}", nameof(options));
        Options = options;
        Handler = handler;
        TimeProvider = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        Logger = loggerFactory.CreateLogger("Zeze.GlobalCacheAgent");
        Metrics = new AgentMetrics(options.ServerId, meterFactory);
        var net = new ServiceOptions { KeepCheckPeriod = 0 }; // our own keep-alive (A11) watches the GCM
        if (options.Network is { } n)
        {
            net.NoDelay = n.NoDelay;
            net.SendBuffer = n.SendBuffer;
            net.ReceiveBuffer = n.ReceiveBuffer;
            net.InputBufferSize = n.InputBufferSize;
            net.InputBufferMaxProtocolSize = n.InputBufferMaxProtocolSize;
            net.OutputBufferMaxSize = n.OutputBufferMaxSize;
            net.RpcTimerTickMs = n.RpcTimerTickMs;
        }
        _service = new AgentService(net, loggerFactory, TimeProvider);
        foreach (var (typeId, factory, name) in new (long, Func<Protocol>, string)[]
                 {
                     (Acquire.TypeId_, static () => new Acquire(), nameof(Acquire)),
                     (Login.TypeId_, static () => new Login(), nameof(Login)),
                     (ReLogin.TypeId_, static () => new ReLogin(), nameof(ReLogin)),
                     (NormalClose.TypeId_, static () => new NormalClose(), nameof(NormalClose)),
                     (GlobalKeepAlive.TypeId_, static () => new GlobalKeepAlive(), "KeepAlive"),
                 })
            _service.AddFactoryHandle(typeId, new ProtocolFactoryHandle(factory, null, TransactionLevel.None, "Zeze.Services.GlobalCacheManager." + name));
        // Reduces never run as procedures nor wait in a worker queue behind transactions.
        _service.AddFactoryHandle(Reduce.TypeId_, new ProtocolFactoryHandle(static () => new Reduce(), p => ProcessReduce((Reduce)p),
            TransactionLevel.None, "Zeze.Services.GlobalCacheManager.Reduce"));
        var managers = GlobalCacheAgentOptions.ParseManagers(options.Managers);
        _instances = new AgentInstance[managers.Count];
        for (int i = 0; i < managers.Count; i++) _instances[i] = new AgentInstance(this, i, managers[i].Host, managers[i].Port);
    }

    public GlobalCacheAgentOptions Options { get; }
    public IGlobalCacheHandler Handler { get; }
    public TimeProvider TimeProvider { get; }

    /// <summary>Number of GCM instances (keys are spread over them by <see cref="GlobalKeyHash"/>).</summary>
    public int InstanceCount => _instances.Length;

    internal ILogger Logger { get; }
    internal AgentMetrics Metrics { get; }
    internal Service Service => _service;

    /// <summary>The GCM instance that owns <paramref name="globalKey"/> (what <see cref="IGlobalCacheHandler.LocalReleaseAsync"/> is given).</summary>
    public int InstanceIndexOf(ReadOnlySpan<byte> globalKey) => GlobalKeyHash.InstanceIndex(globalKey, _instances.Length);

    /// <summary>
    /// Starts connecting to every instance and waits until each has logged in (at most
    /// <see cref="GlobalCacheAgentOptions.StartTimeoutMs"/>; throws <see cref="TimeoutException"/> naming those that did not).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("the global cache agent was already started");
        await _service.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var i in _instances) i.Start();
        var waits = _instances.Select(i => i.WaitReadyAsync(Options.StartTimeoutMs, cancellationToken).AsTask()).ToArray();
        var all = Task.WhenAll(waits);
        var refused = _instances.Select(i => i.LoginRefused).ToArray();
        if (await Task.WhenAny(all, Task.WhenAny(refused)).ConfigureAwait(false) != all)
        {
            var i = _instances[Array.FindIndex(refused, t => t.IsCompleted)];
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw new InvalidOperationException($"server {Options.ServerId}: GCM instance {i.Index} ({i.EndPoint}) refused the login " +
                $"({GlobalResultCodeNames.NameOf(i.LoginRefused.Result)}): another live server uses server id {Options.ServerId}; every server sharing the database needs its own id");
        }
        var sockets = await all.ConfigureAwait(false);
        var missing = _instances.Where((_, n) => sockets[n] == null).Select(i => $"{i.Index} ({i.EndPoint})").ToList();
        if (missing.Count > 0)
            throw new TimeoutException($"server {Options.ServerId}: no login to GCM instance(s) {string.Join(", ", missing)} within {Options.StartTimeoutMs} ms");
    }

    /// <summary>
    /// Sends NormalClose to every instance (the GCMs release this server's keys) and closes. Call it after the
    /// final checkpoint, so that no other server is granted a key before its data is in the database (A10).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) == 2) return;
        await Task.WhenAll(_instances.Select(i => i.StopAsync())).ConfigureAwait(false);
        await _service.StopAsync(cancellationToken).ConfigureAwait(false);
        Metrics.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    public ValueTask<AcquireResult> AcquireAsync(ReadOnlyMemory<byte> globalKey, int state, bool fresh, CancellationToken cancellationToken = default)
    {
        if (state is not (GlobalState.Share or GlobalState.Modify))
            return Record(state, new AcquireResult(GlobalState.Invalid, GlobalResultCode.AcquireErrorState));
        if (Volatile.Read(ref _state) != 1)
            return Record(state, new AcquireResult(GlobalState.Invalid, GlobalResultCode.AgentStopped));
        var instance = _instances[InstanceIndexOf(globalKey.Span)];
        var key = new Binary(globalKey.Span);
        if (Volatile.Read(ref _reducingCount) != 0 && _reducing.TryGetValue(key, out var reducing))
            return AcquireAfterReduceAsync(instance, key, state, fresh, reducing.Task, cancellationToken);
        var pending = instance.AcquireAsync(key, state, fresh, cancellationToken);
        if (pending.IsCompletedSuccessfully) return Record(state, pending.Result);
        return AwaitAndRecord(state, pending);
    }

    /// <summary>Reduces of this server being handled, by key (until their answer is sent).</summary>
    private readonly ConcurrentDictionary<Binary, TaskCompletionSource> _reducing = new();

    /// <summary>Reduces in progress: an acquire looks <see cref="_reducing"/> up only when there are some (its IsEmpty
    /// takes every lock of the map when it is empty, the usual case).</summary>
    private int _reducingCount;

    /// <summary>
    /// This server is still answering a reduce of the key: the GCM is serving another server's request for it and
    /// counts this one as a holder until the answer arrives, so a request sent now would be answered "deadlock" (21/23)
    /// and redone after a 20–99 ms pause. Sent after the answer (on the same connection, so the GCM reads the answer
    /// first), it waits for its turn in the key's queue instead.
    /// </summary>
    private async ValueTask<AcquireResult> AcquireAfterReduceAsync(AgentInstance instance, Binary key, int state, bool fresh, Task reducing,
        CancellationToken cancellationToken)
    {
        try
        {
            await reducing.WaitAsync(TimeSpan.FromMilliseconds(instance.Timing.AcquireTimeout), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // ask anyway: the GCM decides
        }
        var r = await instance.AcquireAsync(key, state, fresh, cancellationToken).ConfigureAwait(false);
        Metrics.Acquire(state, r.ResultCode);
        return r;
    }

    private async ValueTask<AcquireResult> AwaitAndRecord(int state, ValueTask<AcquireResult> pending)
    {
        var r = await pending.ConfigureAwait(false);
        Metrics.Acquire(state, r.ResultCode);
        return r;
    }

    private ValueTask<AcquireResult> Record(int state, AcquireResult r)
    {
        Metrics.Acquire(state, r.ResultCode);
        return new ValueTask<AcquireResult>(r);
    }

    public ValueTask ReleaseAsync(ReadOnlyMemory<byte> globalKey, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _state) != 1) return ValueTask.CompletedTask;
        return _instances[InstanceIndexOf(globalKey.Span)].ReleaseAsync(new Binary(globalKey.Span));
    }

    // ---- state for diagnostics and tests ----

    /// <summary>True while instance <paramref name="index"/> has a logged-in connection.</summary>
    public bool IsLoggedIn(int index) => _instances[index].ReadySocket != null;

    /// <summary>True while instance <paramref name="index"/>'s keys are being released locally.</summary>
    public bool IsReleasing(int index) => _instances[index].IsReleasing;

    /// <summary>Logins (not re-logins) made to instance <paramref name="index"/>.</summary>
    public long LoginCount(int index) => Interlocked.Read(ref _instances[index].Logins);

    public long ReLoginCount(int index) => Interlocked.Read(ref _instances[index].ReLogins);

    public long LocalReleaseCount(int index) => Interlocked.Read(ref _instances[index].LocalReleases);

    /// <summary>The timing in force for instance <paramref name="index"/> (the GCM's after the first login).</summary>
    public AchillesHeelTiming TimingOf(int index) => _instances[index].Timing;

    /// <summary>Waits until instance <paramref name="index"/> is logged in; false after <paramref name="timeoutMs"/>.</summary>
    public async Task<bool> WaitLoggedInAsync(int index, int timeoutMs, CancellationToken cancellationToken = default) =>
        await _instances[index].WaitReadyAsync(timeoutMs, cancellationToken).ConfigureAwait(false) != null;

    /// <summary>Runs one daemon pass on every instance now (tests; the timer does it periodically).</summary>
    public void CheckDaemon()
    {
        foreach (var i in _instances) i.CheckDaemon();
    }

    // ---- internals ----

    internal void InvokeHalt(int code, string reason)
    {
        var halt = Options.Halt;
        if (halt != null)
        {
            halt(code, reason);
            return;
        }
        Environment.FailFast($"Zeze global cache agent (server {Options.ServerId}) halts the process, code {code}: {reason}");
    }

    private ValueTask<long> ProcessReduce(Reduce rpc)
    {
        (rpc.Sender?.UserState as AgentInstance)?.Touch();
        // Off the receive loop: the handler takes record locks and flushes to the database, and the
        // connection's other answers (acquire results) must not wait behind that.
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _reducingCount);
        _reducing[rpc.Argument.GlobalKey] = answered;
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Agent.RunReduceAsync(s.Rpc, s.Answered), (Agent: this, Rpc: rpc, Answered: answered), preferLocal: false);
        return ValueTask.FromResult(0L);
    }

    private async Task RunReduceAsync(Reduce rpc, TaskCompletionSource answered)
    {
        try
        {
            await AnswerReduceAsync(rpc).ConfigureAwait(false);
        }
        finally
        {
            _reducing.TryRemove(KeyValuePair.Create(rpc.Argument.GlobalKey, answered));
            Interlocked.Decrement(ref _reducingCount);
            answered.TrySetResult();
        }
    }

    private async Task AnswerReduceAsync(Reduce rpc)
    {
        var arg = rpc.Argument;
        int state;
        long code;
        try
        {
            var r = await Handler.ReduceAsync(arg.GlobalKey.Memory, arg.State, arg.Fresh).ConfigureAwait(false);
            (state, code) = (r.State, r.ResultCode);
        }
        catch (Exception e)
        {
            AgentLog.ReduceHandlerFailed(Logger, Options.ServerId, GlobalKeyText.Format(arg.GlobalKey.Span), e);
            (state, code) = (GlobalResultCode.ReduceException, GlobalResultCode.ReduceException);
        }
        Metrics.Reduce(code);
        rpc.Result = new GlobalKeyState { GlobalKey = arg.GlobalKey, State = state };
        rpc.ResultCode = code;
        rpc.SendResult();
    }

    private sealed class AgentService(ServiceOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
        : Service("GlobalCacheAgent", options, loggerFactory, null, timeProvider);
}
