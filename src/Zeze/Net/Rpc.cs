using Zeze.Serialize;

namespace Zeze.Net;

/// <summary>
/// A request carrying an argument and its response carrying a result, matched by a session id
/// (wire-and-schema.md B2/B4). The same object is used for both directions.
/// </summary>
public abstract class Rpc<TArgument, TResult> : RpcBase
    where TArgument : ISerializable, new()
    where TResult : ISerializable, new()
{
    private TResult? _result;

    /// <summary>An rpc with a new, empty argument.</summary>
    protected Rpc() => Argument = new TArgument();

    /// <summary>
    /// An rpc carrying <paramref name="argument"/>. Generated classes pass a new bean here: creating it
    /// where its type is known costs a plain allocation, where <c>new TArgument()</c> in this shared
    /// generic code goes through <see cref="Activator"/> (the same for <see cref="NewResult"/>).
    /// </summary>
    protected Rpc(TArgument argument) => Argument = argument;

    public TArgument Argument { get; set; }

    /// <summary>The result; created on first use, so a request that is only sent never allocates one.</summary>
    public TResult Result
    {
        get => _result ??= NewResult();
        set => _result = value;
    }

    /// <summary>Creates an empty result bean (overridden by generated classes, see <see cref="Rpc{TArgument,TResult}(TArgument)"/>).</summary>
    protected virtual TResult NewResult() => new();

    /// <summary>Called once with this rpc when the response arrives or the request times out.</summary>
    public Func<Rpc<TArgument, TResult>, ValueTask<long>>? ResponseHandle { get; set; }

    /// <summary>
    /// Sends the request; <paramref name="responseHandle"/> (if any) runs when the response arrives or after
    /// <paramref name="timeoutMs"/> with <see cref="RpcBase.IsTimeout"/> set. False when it could not be sent
    /// (the handle is then not called).
    /// </summary>
    public bool Send(AsyncSocket? socket, Func<Rpc<TArgument, TResult>, ValueTask<long>>? responseHandle, int timeoutMs = 5000)
    {
        ResponseHandle = responseHandle;
        return SendRequest(socket, timeoutMs, awaited: false);
    }

    /// <summary>Sends the request without a handler: the response (or the timeout) only updates this object.</summary>
    public override bool Send(AsyncSocket? socket) => Send(socket, null);

    /// <summary>
    /// Sends the request and completes with the result code: 0 or the peer's code when the response
    /// arrived (read <see cref="Result"/>), <see cref="Zeze.ResultCode.Timeout"/> after
    /// <paramref name="timeoutMs"/>, <see cref="Zeze.ResultCode.ErrorSendFail"/> when it could not be sent.
    /// Never throws for these outcomes. Await the returned value once, before sending this object again.
    /// </summary>
    public ValueTask<long> SendAsync(AsyncSocket? socket, int timeoutMs = 5000)
    {
        ResponseHandle = null;
        SendRequest(socket, timeoutMs, awaited: true);
        return AwaitCompletion();
    }

    private protected override bool HasResponseHandle => ResponseHandle != null;

    internal override ValueTask<long> InvokeResponseHandle() =>
        ResponseHandle is { } handle ? handle(this) : new ValueTask<long>(0L);

    internal override void DecodeResult(ByteBuffer bb)
    {
        // Generated decoders assume a fresh bean (absent fields keep their initial values).
        var result = NewResult();
        result.Decode(bb);
        _result = result;
        IsRequest = false;
    }

    public override void Encode(ByteBuffer bb)
    {
        WriteHeader(bb, IsRequest ? FamilyClass.Request : FamilyClass.Response);
        bb.WriteLong(SessionId);
        if (IsRequest) Argument.Encode(bb);
        else Result.Encode(bb);
    }

    public override void Decode(ByteBuffer bb)
    {
        int family = ReadHeader(bb);
        SessionId = bb.ReadLong();
        switch (family)
        {
            case FamilyClass.Request:
                IsRequest = true;
                Argument.Decode(bb);
                break;
            case FamilyClass.Response:
                IsRequest = false;
                Result.Decode(bb);
                break;
            default:
                throw new DecodeException($"{GetType().Name}: family class {family} is not an rpc request (1) or response (0)");
        }
    }

    public override string ToString() =>
        $"{GetType().Name}({(IsRequest ? "request" : "response")} sid={SessionId}, rc={ResultCode}, {(IsRequest ? Argument : Result)})";
}
