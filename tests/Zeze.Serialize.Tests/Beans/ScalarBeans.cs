namespace Zeze.Serialize.Tests.Beans;

// Beans of scalar fields for the golden examples E44–E51.

/// <summary><c>{1:int, 2:string}</c> (E44–E46). Decode is written out in full, as a generator emits it.</summary>
public sealed class BIntString : ISerializable
{
    public int V1;
    public string V2 = "";

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1 != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.INTEGER);
            bb.WriteInt(V1);
        }
        if (V2.Length != 0)
        {
            i = bb.WriteTag(i, 2, ByteBuffer.BYTES);
            bb.WriteString(V2);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        int t = bb.ReadByte();
        int i = bb.ReadTagSize(t);
        while (t > 1 && i < 1)
        {
            bb.SkipUnknownField(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        if (i == 1)
        {
            V1 = bb.ReadInt(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        while (t > 1 && i < 2)
        {
            bb.SkipUnknownField(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        if (i == 2)
        {
            V2 = bb.ReadString(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        while (t != 0)
        {
            bb.SkipUnknownField(t);
            bb.ReadTagSize(t = bb.ReadByte());
        }
    }
}

/// <summary><c>{3:bool, 20:long}</c> (E47: an id delta of 17 takes the extended tag).</summary>
public sealed class BBoolLong : ISerializable
{
    public bool V3;
    public long V20;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V3)
        {
            i = bb.WriteTag(i, 3, ByteBuffer.INTEGER);
            bb.WriteBool(true);
        }
        if (V20 != 0)
        {
            i = bb.WriteTag(i, 20, ByteBuffer.INTEGER);
            bb.WriteLong(V20);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 3)) { V3 = bb.ReadBool(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 20)) { V20 = bb.ReadLong(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>
/// One int field whose id is chosen by the test (E48–E50 differ only in the id). Generated code has the
/// id as a constant; here it is a field so that one class covers the three tag forms.
/// </summary>
public sealed class BOneInt(int id) : ISerializable
{
    public int Value;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (Value != 0)
        {
            i = bb.WriteTag(i, id, ByteBuffer.INTEGER);
            bb.WriteInt(Value);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, id)) { Value = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary><c>{1:float, 2:double}</c> (E51).</summary>
public sealed class BFloatDouble : ISerializable
{
    public float V1;
    public double V2;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1 != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.FLOAT);
            bb.WriteFloat(V1);
        }
        if (V2 != 0)
        {
            i = bb.WriteTag(i, 2, ByteBuffer.DOUBLE);
            bb.WriteDouble(V2);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { V1 = bb.ReadFloat(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 2)) { V2 = bb.ReadDouble(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>One string field at an id chosen by the test: a reader whose schema disagrees with the writer.</summary>
public sealed class BOneString(int id) : ISerializable
{
    public string Value = "";

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (Value.Length != 0)
        {
            i = bb.WriteTag(i, id, ByteBuffer.BYTES);
            bb.WriteString(Value);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, id)) { Value = bb.ReadString(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}
