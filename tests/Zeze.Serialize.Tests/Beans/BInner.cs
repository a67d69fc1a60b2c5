namespace Zeze.Serialize.Tests.Beans;

/// <summary>A one-field bean <c>{1:long}</c>, the element of the collection examples E56–E58.</summary>
public sealed class BInner : ISerializable
{
    public long V1;

    public BInner() { }
    public BInner(long v1) => V1 = v1;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1 != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.INTEGER);
            bb.WriteLong(V1);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { V1 = bb.ReadLong(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }

    public override bool Equals(object? obj) => obj is BInner o && o.V1 == V1;
    public override int GetHashCode() => V1.GetHashCode();
    public override string ToString() => $"{{1:{V1}}}";
}
