using System.Threading.Tasks.Sources;
using Zeze.Serialize;

namespace Zeze.Net;

/// <summary>
/// What every rpc shares, whatever its argument and result types: the session id that matches a response
/// to its request, whether the response went out, and the awaitable completion.
/// The rpc object itself is what <see cref="Rpc{TArgument,TResult}.SendAsync"/> awaits, so waiting for a
/// response allocates nothing beyond the rpc. What only a waiting request needs (its place in the timing
/// wheel) lives in the sending service's <see cref="PendingRequest"/> entries, not here: a server allocates an
/// rpc object for every request it receives.
/// </summary>
public abstract partial class RpcBase : Protocol, IValueTaskSource<long>
{
    /// <summary>True while this object is (or decoded as) a request; false for a response.</summary>
    public bool IsRequest { get; set; } = true;

    /// <summary>Matches a response to its request within one service.</summary>
    public long SessionId { get; set; }

    /// <summary>True when no response arrived in time; <see cref="Protocol.ResultCode"/> is then <see cref="Zeze.ResultCode.Timeout"/>.</summary>
    public bool IsTimeout { get; internal set; }

    public override int FamilyClassValue => IsRequest ? FamilyClass.Request : FamilyClass.Response;

    private byte _responded; // 1 once SendResult (or the automatic error reply) went out
    private CompletionMode _mode;

    private enum CompletionMode : byte { None, Await, Handle }

    /// <summary>Decodes the result bean of a response into this (the original request) object.</summary>
    internal abstract void DecodeResult(ByteBuffer bb);

    /// <summary>Runs the response handler given to <c>Send</c>.</summary>
    internal abstract ValueTask<long> InvokeResponseHandle();

    /// <summary>Registers this request with the socket's service and sends it.</summary>
    private protected bool SendRequest(AsyncSocket? socket, int timeoutMs, bool awaited)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutMs);
        IsRequest = true;
        IsTimeout = false;
        _responded = 0;
        _mode = awaited ? CompletionMode.Await : HasResponseHandle ? CompletionMode.Handle : CompletionMode.None;
        if (awaited) ResetCompletion();
        if (socket == null)
        {
            CompleteSendFail();
            return false;
        }
        var service = socket.Service;
        service.Pending.Add(this, timeoutMs); // before sending: the response may arrive before Send returns
        if (socket.Send(this)) return true;
        // A failed send never reaches the peer: complete now instead of at the timeout.
        if (service.Pending.TryRemove(SessionId, out _)) CompleteSendFail();
        return false;
    }

    private void CompleteSendFail()
    {
        ResultCode = Zeze.ResultCode.ErrorSendFail;
        if (_mode == CompletionMode.Await) SignalCompletion();
    }

    private protected abstract bool HasResponseHandle { get; }

    /// <summary>
    /// Completes a request (response arrived, or timed out). Runs awaiting continuations inline: they are
    /// usually short (read the result, send the next request), and a hop to the thread pool per response
    /// would cost more than the work; handlers must not block, as everywhere in this framework.
    /// </summary>
    internal void Complete(long resultCode, bool timedOut, Service service)
    {
        ResultCode = resultCode;
        IsTimeout = timedOut;
        switch (_mode)
        {
            case CompletionMode.Await:
                SignalCompletion();
                break;
            case CompletionMode.Handle:
                service.RunResponseHandle(this);
                break;
        }
    }

    /// <summary>
    /// Sends this rpc back as the response (with the current <see cref="Protocol.ResultCode"/> and result)
    /// on the socket it came from. Only once: a second call is refused and returns false.
    /// </summary>
    public bool SendResult()
    {
        if (Interlocked.Exchange(ref _responded, (byte)1) != 0)
        {
            Sender?.Service.LogDuplicateResult(this);
            return false;
        }
        IsRequest = false;
        return Sender != null && Sender.Send(this);
    }

    /// <summary>Sends the response with <paramref name="resultCode"/>.</summary>
    public bool SendResultCode(long resultCode)
    {
        ResultCode = resultCode;
        return SendResult();
    }

    /// <summary>The automatic reply of a handler that returned non-zero without responding (B3).</summary>
    internal bool TrySendResultCode(long resultCode)
    {
        if (Volatile.Read(ref _responded) != 0) return false;
        return SendResultCode(resultCode);
    }

    /// <summary>True once the response was sent.</summary>
    public bool IsResponseSent => Volatile.Read(ref _responded) != 0;
}
