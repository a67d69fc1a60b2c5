namespace Zeze.Serialize.Tests.Beans;

// Java's bean inheritance (A8.5): the derived fields, the separator 01, then the base bean's own
// encoding, whose 00 ends the whole value. Used for E63/E64.

/// <summary>The base part: <c>{1:string}</c>.</summary>
public sealed class BBase : ISerializable
{
    public string V1 = "";

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1.Length != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.BYTES);
            bb.WriteString(V1);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { V1 = bb.ReadString(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>A derived bean <c>{1:int}</c> with base <see cref="BBase"/> (E63).</summary>
public sealed class BDerived : ISerializable
{
    public int V1;
    public BBase Base = new();

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1 != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.INTEGER);
            bb.WriteInt(V1);
        }
        bb.WriteByte(ByteBuffer.BASE);
        Base.Encode(bb);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { V1 = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        InheritanceDecoding.FinishWithBase(bb, t, Base);
    }
}

/// <summary>A derived bean <c>{2:map&lt;int,string&gt;, 5:list&lt;BInner&gt;}</c> with base <see cref="BBase"/> (E64).</summary>
public sealed class BDerivedMapList : ISerializable
{
    public Dictionary<int, string> V2 = [];
    public List<BInner> V5 = [];
    public BBase Base = new();

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V2.Count != 0)
        {
            i = bb.WriteTag(i, 2, ByteBuffer.MAP);
            bb.WriteMapType(V2.Count, ByteBuffer.INTEGER, ByteBuffer.BYTES);
            foreach (var (k, v) in V2)
            {
                bb.WriteInt(k);
                bb.WriteString(v);
            }
        }
        if (V5.Count != 0)
        {
            i = bb.WriteTag(i, 5, ByteBuffer.LIST);
            bb.WriteListType(V5.Count, ByteBuffer.BEAN);
            foreach (var x in V5) bb.WriteBean(x);
        }
        bb.WriteByte(ByteBuffer.BASE);
        Base.Encode(bb);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        V2.Clear();
        if (Tags.At(bb, ref t, ref i, 2))
        {
            int n = bb.ReadMapHeader(t, out int kt, out int vt);
            for (; n > 0; n--)
            {
                int k = bb.ReadInt(kt);
                V2[k] = bb.ReadString(vt);
            }
            Tags.Next(bb, ref t, ref i);
        }
        V5.Clear();
        if (Tags.At(bb, ref t, ref i, 5))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) V5.Add(bb.ReadBean(new BInner(), et));
            Tags.Next(bb, ref t, ref i);
        }
        InheritanceDecoding.FinishWithBase(bb, t, Base);
    }
}

internal static class InheritanceDecoding
{
    /// <summary>
    /// The end of A12's loop for a bean that has a base: skip unknown derived fields; at the separator
    /// decode the base part (it consumes the final 00); at 00 the base part is absent.
    /// </summary>
    public static void FinishWithBase(ByteBuffer bb, int t, ISerializable baseBean)
    {
        while (t != ByteBuffer.END)
        {
            if (t == ByteBuffer.BASE)
            {
                baseBean.Decode(bb);
                return;
            }
            bb.SkipUnknownField(t);
            bb.ReadTagSize(t = bb.ReadByte());
        }
    }
}
