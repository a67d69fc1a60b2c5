namespace Zeze.Serialize.Tests.Beans;

// Beans with list, set and map fields for the golden examples E52–E57. Decoders clear the collection,
// read the header, then read each element with the element tag from the header (A9, A12).

/// <summary><c>{1:list&lt;int&gt;}</c> (E52).</summary>
public sealed class BListInt : ISerializable
{
    public List<int> V1 = [];

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1.Count != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.LIST);
            bb.WriteListType(V1.Count, ByteBuffer.INTEGER);
            foreach (int x in V1) bb.WriteInt(x);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        V1.Clear();
        if (Tags.At(bb, ref t, ref i, 1))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) V1.Add(bb.ReadInt(et));
            Tags.Next(bb, ref t, ref i);
        }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary><c>{2:list&lt;long&gt;}</c> (E53: 20 elements take the extended list header).</summary>
public sealed class BListLong : ISerializable
{
    public List<long> V2 = [];

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V2.Count != 0)
        {
            i = bb.WriteTag(i, 2, ByteBuffer.LIST);
            bb.WriteListType(V2.Count, ByteBuffer.INTEGER);
            foreach (long x in V2) bb.WriteLong(x);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        V2.Clear();
        if (Tags.At(bb, ref t, ref i, 2))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) V2.Add(bb.ReadLong(et));
            Tags.Next(bb, ref t, ref i);
        }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary><c>{1:set&lt;string&gt;}</c> (E54). A set has the same wire form as a list.</summary>
public sealed class BSetString : ISerializable
{
    public HashSet<string> V1 = [];

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1.Count != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.LIST);
            bb.WriteListType(V1.Count, ByteBuffer.BYTES);
            foreach (string x in V1) bb.WriteString(x);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        V1.Clear();
        if (Tags.At(bb, ref t, ref i, 1))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) V1.Add(bb.ReadString(et));
            Tags.Next(bb, ref t, ref i);
        }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary><c>{2:map&lt;int,string&gt;}</c> (E55). Iteration order of the map is the wire order.</summary>
public sealed class BMapIntString : ISerializable
{
    public Dictionary<int, string> V2 = [];

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
        bb.WriteByte(ByteBuffer.END);
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
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary><c>{1:map&lt;long,BInner&gt;}</c> (E56): bean values are full bean encodings without a tag.</summary>
public sealed class BMapLongInner : ISerializable
{
    public Dictionary<long, BInner> V1 = [];

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1.Count != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.MAP);
            bb.WriteMapType(V1.Count, ByteBuffer.INTEGER, ByteBuffer.BEAN);
            foreach (var (k, v) in V1)
            {
                bb.WriteLong(k);
                bb.WriteBean(v);
            }
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        V1.Clear();
        if (Tags.At(bb, ref t, ref i, 1))
        {
            int n = bb.ReadMapHeader(t, out int kt, out int vt);
            for (; n > 0; n--)
            {
                long k = bb.ReadLong(kt);
                V1[k] = bb.ReadBean(new BInner(), vt);
            }
            Tags.Next(bb, ref t, ref i);
        }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>
/// <c>{3:list&lt;BInner&gt;}</c> (E57): an all-default element is still written, as <c>00</c>. The id can be
/// moved (E64 has the same list at id 5).
/// </summary>
public sealed class BListInner(int id = 3) : ISerializable
{
    public List<BInner> V3 = [];

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V3.Count != 0)
        {
            i = bb.WriteTag(i, id, ByteBuffer.LIST);
            bb.WriteListType(V3.Count, ByteBuffer.BEAN);
            foreach (var x in V3) bb.WriteBean(x);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        V3.Clear();
        if (Tags.At(bb, ref t, ref i, id))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) V3.Add(bb.ReadBean(new BInner(), et));
            Tags.Next(bb, ref t, ref i);
        }
        bb.SkipAllUnknownFields(t);
    }
}
