using Zeze.Serialize;

namespace Zeze.Net;

/// <summary>
/// A request carrying an argument and its response carrying a result, matched by a session id
/// (wire-and-schema.md B2/B4). The same object is used for both directions.
/// </summary>
public abstract class Rpc<TArgument, TResult> : Protocol
    where TArgument : ISerializable, new()
    where TResult : ISerializable, new()
{
    public TArgument Argument { get; set; } = new();
    public TResult Result { get; set; } = new();

    /// <summary>True while this object is (or decoded as) a request; false for a response.</summary>
    public bool IsRequest { get; set; } = true;

    /// <summary>Matches a response to its request within one service.</summary>
    public long SessionId { get; set; }

    public override int FamilyClassValue => IsRequest ? FamilyClass.Request : FamilyClass.Response;

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
