using Zeze.Serialize;

namespace Zeze.Services.GlobalCache;

/// <summary>What a reduce came to, as the key's request sees it.</summary>
internal enum ReduceOutcome
{
    /// <summary>The holder gave the key up.</summary>
    Invalid,

    /// <summary>The holder kept Share.</summary>
    Share,

    /// <summary>The holder refused: its copy is fresh (16).</summary>
    Fresh,

    /// <summary>Timeout, error, exception: the holder keeps what it had (A8).</summary>
    Failed,

    /// <summary>Not sent (no connection, or the holder is in its forbid period): also a failure, and stops a fan-out.</summary>
    SendFailed,
}

// Reduces sent by the GCM (A5, A8): each with its own timeout; a failure marks the holder, and for
// GlobalForbidPeriod after that every reduce to it fails at once without being sent.
public sealed partial class GlobalCacheManagerServer
{
    private ValueTask<ReduceOutcome> ReduceAsync(GcmSession holder, Binary key, bool requesterFresh)
    {
        long now = Now;
        long lastError = holder.LastErrorTimestamp;
        if (lastError != 0 && ElapsedMs(lastError, now) < Timing.GlobalForbidPeriod)
        {
            _metrics.Reduce("forbidden", ref _metrics.ReducesForbidden);
            return new ValueTask<ReduceOutcome>(ReduceOutcome.SendFailed);
        }
        var so = holder.Socket;
        if (so == null || so.IsClosed)
        {
            holder.MarkError(now);
            _metrics.Reduce("failed", ref _metrics.ReducesFailed);
            GcmLog.ReduceFailed(_logger, GlobalKeyText.Format(key.Span), holder.ServerId, "not connected");
            return new ValueTask<ReduceOutcome>(ReduceOutcome.SendFailed);
        }
        var rpc = new Reduce();
        rpc.Argument.GlobalKey = key;
        rpc.Argument.State = GlobalState.Invalid; // servers are always reduced to Invalid (section E)
        rpc.Argument.Fresh = requesterFresh;
        _metrics.Reduce("sent", ref _metrics.ReducesSent);
        var pending = rpc.SendAsync(so, Timing.ReduceTimeout);
        if (pending.IsCompletedSuccessfully && pending.Result == Zeze.ResultCode.ErrorSendFail)
        {
            holder.MarkError(now);
            _metrics.Reduce("failed", ref _metrics.ReducesFailed);
            GcmLog.ReduceFailed(_logger, GlobalKeyText.Format(key.Span), holder.ServerId, "send failed");
            return new ValueTask<ReduceOutcome>(ReduceOutcome.SendFailed);
        }
        return AwaitReduceAsync(holder, rpc, pending);
    }

    private async ValueTask<ReduceOutcome> AwaitReduceAsync(GcmSession holder, Reduce rpc, ValueTask<long> pending)
    {
        long rc = await pending.ConfigureAwait(false);
        long now = Now;
        switch (rc)
        {
            case GlobalResultCode.ReduceErrorFreshAcquire:
                holder.Touch(now);
                _metrics.Reduce("fresh", ref _metrics.ReducesFresh);
                return ReduceOutcome.Fresh;
            case GlobalResultCode.Success or GlobalResultCode.ReduceErrorState or GlobalResultCode.ReduceShareAlreadyIsInvalid
                or GlobalResultCode.ReduceShareAlreadyIsShare or GlobalResultCode.ReduceInvalidAlreadyIsInvalid:
                holder.Touch(now);
                switch (rpc.Result.State)
                {
                    case GlobalState.Invalid: return ReduceOutcome.Invalid;
                    case GlobalState.Share: return ReduceOutcome.Share;
                }
                _metrics.Reduce("failed", ref _metrics.ReducesFailed);
                GcmLog.ReduceFailed(_logger, GlobalKeyText.Format(rpc.Argument.GlobalKey.Span), holder.ServerId, $"answered state {rpc.Result.State}");
                return ReduceOutcome.Failed;
            case Zeze.ResultCode.Timeout:
                holder.MarkError(now);
                _metrics.Reduce("timeout", ref _metrics.ReducesTimedOut);
                GcmLog.ReduceFailed(_logger, GlobalKeyText.Format(rpc.Argument.GlobalKey.Span), holder.ServerId, $"no answer within {Timing.ReduceTimeout} ms");
                return ReduceOutcome.Failed;
            default:
                holder.MarkError(now);
                _metrics.Reduce("failed", ref _metrics.ReducesFailed);
                GcmLog.ReduceFailed(_logger, GlobalKeyText.Format(rpc.Argument.GlobalKey.Span), holder.ServerId, $"code {GlobalResultCodeNames.NameOf(rc)}");
                return ReduceOutcome.Failed;
        }
    }
}
