using Zeze.Serialize;

namespace Zeze.Net;

/// <summary>The argument or result of a message that has none: encoded as a bean with no fields (<c>00</c>).</summary>
public sealed class EmptyBean : ISerializable
{
    public static readonly EmptyBean Instance = new();

    public void Encode(ByteBuffer bb) => bb.WriteByte(0);

    // A newer peer may send fields we do not know: skip a whole bean rather than one byte (A8.7).
    public void Decode(ByteBuffer bb) => bb.SkipBean();

    public override string ToString() => "{}";
}
