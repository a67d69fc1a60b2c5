using Zeze.Net;
using Zeze.Serialize;

namespace Zeze.Services.GlobalCache;

// Acquire and release on one instance. Failures that are not the GCM's verdict (timeout, no connection) open the
// fast-fail window: for ServerFastErrorPeriod the next acquires fail at once instead of each waiting a timeout.
internal sealed partial class AgentInstance
{
    public async ValueTask<AcquireResult> AcquireAsync(Binary key, int state, bool fresh, CancellationToken cancellationToken)
    {
        if (IsHalted || IsStopped) return new(GlobalState.Invalid, GlobalResultCode.AgentStopped);
        if (IsReleasing) return new(GlobalState.Invalid, GlobalResultCode.AgentReleasing);
        if (Time.GetTimestamp() < Volatile.Read(ref _fastFailUntil)) return new(GlobalState.Invalid, GlobalResultCode.AgentFastFail);
        var t = Timing;
        var so = ReadySocket ?? await WaitReadyAsync(t.AcquireTimeout, cancellationToken).ConfigureAwait(false);
        if (so == null)
        {
            SetFastFail(t);
            return new(GlobalState.Invalid, IsStopped ? GlobalResultCode.AgentStopped : GlobalResultCode.AgentNotLoggedIn);
        }
        var rpc = new Acquire();
        rpc.Argument.GlobalKey = key;
        rpc.Argument.State = state;
        rpc.Argument.Fresh = fresh;
        var pending = rpc.SendAsync(so, t.AcquireTimeout);
        long rc = cancellationToken.CanBeCanceled && !pending.IsCompleted
            ? await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false)
            : await pending.ConfigureAwait(false);
        if (rc is ResultCode.Timeout or ResultCode.ErrorSendFail or ResultCode.Closed)
        {
            SetFastFail(t);
            return new(GlobalState.Invalid, rc);
        }
        Touch();
        int granted = rc is GlobalResultCode.Success or GlobalResultCode.AcquireShareAlreadyIsModify or GlobalResultCode.AcquireModifyAlreadyIsModify
            ? rpc.Result.State : GlobalState.Invalid;
        return new(granted, rc);
    }

    public async ValueTask ReleaseAsync(Binary key)
    {
        var so = ReadySocket;
        if (so == null || IsReleasing) return; // the GCM will reduce us later; we answer "already invalid"
        var rpc = new Acquire();
        rpc.Argument.GlobalKey = key;
        rpc.Argument.State = GlobalState.Invalid;
        long rc = await rpc.SendAsync(so, Timing.AcquireTimeout).ConfigureAwait(false);
        if (rc >= 0) Touch();
    }

    private void SetFastFail(AchillesHeelTiming t) =>
        Volatile.Write(ref _fastFailUntil, Time.GetTimestamp() + t.ServerFastErrorPeriod * Time.TimestampFrequency / 1000);
}
