namespace Zeze.Services.GlobalCache;

/// <summary>
/// One request on a key: an Acquire rpc from a server (Share, Modify, or release), or a release the GCM itself
/// decided (Login, NormalClose, the daemon), which completes <see cref="Done"/>.
/// </summary>
internal sealed class GcmRequest
{
    public GcmRequest(GcmSession session, int state, bool fresh, Acquire? rpc)
    {
        Session = session;
        State = state;
        Fresh = fresh;
        Rpc = rpc;
        if (rpc == null) Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public GcmSession Session { get; }

    /// <summary>Requested state: Share, Modify, or Invalid for a release.</summary>
    public int State { get; }

    public bool Fresh { get; }

    /// <summary>The rpc to answer; null for a release decided by the GCM.</summary>
    public Acquire? Rpc { get; }

    public TaskCompletionSource? Done { get; }

    /// <summary>A release answered on arrival (A5 "noWait"), applied later in its turn.</summary>
    public bool Answered;

    /// <summary>When it started waiting in the key's queue (timestamp), for the wait metric.</summary>
    public long EnqueuedAt;

    public bool IsClientAcquire => Rpc != null && State != GlobalState.Invalid;
}
