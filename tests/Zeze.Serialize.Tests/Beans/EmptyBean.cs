namespace Zeze.Serialize.Tests.Beans;

/// <summary>A bean without fields: encodes as a single 00 and skips whatever bean it is given (A8.7).</summary>
public sealed class EmptyBean : ISerializable
{
    public void Encode(ByteBuffer bb) => bb.WriteByte(ByteBuffer.END);

    // Skip a whole bean rather than one byte, so a peer that added fields is still understood.
    public void Decode(ByteBuffer bb) => bb.SkipBean();

    public override bool Equals(object? obj) => obj is EmptyBean;
    public override int GetHashCode() => 0;
    public override string ToString() => "{}";
}
