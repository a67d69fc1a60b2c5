namespace Zeze.Services.GlobalCache;

/// <summary>Cache states of the global cache protocol (numbers are on the wire: keep them).</summary>
public static class GlobalState
{
    public const int Invalid = 0;
    public const int Share = 1;
    public const int Modify = 2;
}

/// <summary>Result codes of Acquire and Reduce (global-and-raft.md A4; numbers are on the wire: keep them).</summary>
public static class GlobalResultCode
{
    public const int Success = 0;
    public const int ReduceRpcTimeout = 11;
    public const int ReduceException = 12;
    public const int ReduceNetError = 13;
    public const int ReduceErrorFreshAcquire = 16;
    public const int AcquireShareDeadLockFound = 21;
    public const int AcquireShareAlreadyIsModify = 22;
    public const int AcquireModifyDeadLockFound = 23;
    public const int AcquireErrorState = 24;
    public const int AcquireModifyAlreadyIsModify = 25;
    public const int AcquireShareFailed = 26;
    public const int AcquireModifyFailed = 27;
    public const int AcquireException = 28;
    public const int AcquireNotLogin = 30;
    public const int ReduceErrorState = 41;
    public const int ReduceShareAlreadyIsInvalid = 42;
    public const int ReduceShareAlreadyIsShare = 43;
    public const int ReduceInvalidAlreadyIsInvalid = 44;
    public const int ReLoginBindSocketFail = 80;
    public const int NormalCloseUnbindFail = 100;
    public const int LoginBindSocketFail = 120;

    // Agent-local codes (never on the wire): the agent answered without asking the GCM. All of them mean
    // "abort the transaction" (global-and-raft.md A6.2), like the transport failures Timeout and ErrorSendFail.

    /// <summary>The agent is releasing every key of this GCM instance (it lost the GCM for too long).</summary>
    public const int AgentReleasing = 201;

    /// <summary>An acquire on this GCM instance failed recently (ServerFastErrorPeriod): fail at once.</summary>
    public const int AgentFastFail = 202;

    /// <summary>The agent has no logged-in connection to this GCM instance (within the acquire timeout).</summary>
    public const int AgentNotLoggedIn = 203;

    /// <summary>The agent was stopped.</summary>
    public const int AgentStopped = 204;

    /// <summary>
    /// True when a refused acquire should be redone after releasing the transaction's locks (16, 21, 23, 28,
    /// 30); false for codes that abort the transaction (24, 26, 27, agent-local codes, transport failures).
    /// </summary>
    public static bool IsRedo(long code) => code is ReduceErrorFreshAcquire or AcquireShareDeadLockFound
        or AcquireModifyDeadLockFound or AcquireException or AcquireNotLogin;
}

/// <summary>What the global cache manager granted: the state now held and the result code.</summary>
public readonly record struct AcquireResult(int State, long ResultCode)
{
    public bool Granted => State != GlobalState.Invalid;
}

/// <summary>
/// The transaction core's view of the global cache agent (one per application; it talks to one or more GCM
/// instances, choosing the instance of a key by the sharding hash). A global key is the table id as a 4-byte
/// little-endian int followed by the table's encoded key bytes.
/// </summary>
public interface IGlobalCacheAgent
{
    /// <summary>
    /// Asks for <paramref name="state"/> (Share or Modify) on a key. <paramref name="fresh"/> tells the GCM that this
    /// server's own copy was just acquired (the livelock rule of global-and-raft.md A7). An agent that is releasing,
    /// in its fast-fail window, or disconnected answers at once with state Invalid and an error code.
    /// </summary>
    ValueTask<AcquireResult> AcquireAsync(ReadOnlyMemory<byte> globalKey, int state, bool fresh, CancellationToken cancellationToken = default);

    /// <summary>Gives a key up (cache eviction). Errors are ignored: the GCM will send a Reduce that is answered "already invalid".</summary>
    ValueTask ReleaseAsync(ReadOnlyMemory<byte> globalKey, CancellationToken cancellationToken = default);
}

/// <summary>
/// Implemented by the transaction core: what the agent calls when the GCM asks this server to give up a key, and
/// when the agent's AchillesHeel daemon decides this server must release everything it holds from one GCM instance.
/// </summary>
public interface IGlobalCacheHandler
{
    /// <summary>
    /// Reduces a key to <paramref name="targetState"/> (Invalid, or Share): takes the record's lock, refuses with
    /// <see cref="GlobalResultCode.ReduceErrorFreshAcquire"/> when the record is fresh and <paramref name="requesterFresh"/>
    /// is false, sets the new state, flushes the record's dirty data to the database, then answers. Returns the state
    /// now held and a result code (<see cref="GlobalResultCode"/>).
    /// </summary>
    ValueTask<AcquireResult> ReduceAsync(ReadOnlyMemory<byte> globalKey, int targetState, bool requesterFresh, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invalidates every cached record whose key belongs to GCM instance <paramref name="instanceIndex"/> and flushes
    /// all dirty data (a full checkpoint). The agent calls it when it lost the GCM for too long; it must finish within
    /// the release timeout, or the agent stops the process.
    /// </summary>
    Task LocalReleaseAsync(int instanceIndex, CancellationToken cancellationToken = default);
}

/// <summary>Lifecycle of an agent as the application drives it (start after the databases, stop after the final checkpoint).</summary>
public interface IGlobalCacheAgentLifecycle
{
    /// <summary>Number of GCM instances the keys are spread over.</summary>
    int InstanceCount { get; }

    /// <summary>Connects and logs in to every instance.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Tells every instance this server is closing (it releases all its keys) and disconnects.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);
}
