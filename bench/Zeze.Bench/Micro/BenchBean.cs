using Zeze.Serialize;

namespace Zeze.Bench.Micro;

/// <summary>A 10-field bean in the shape of generated code: scalars, a string, binary, a list, a map, a nested bean.</summary>
public sealed class BenchBean : ISerializable
{
    public long Id;                                  // 1
    public int Level;                                // 2
    public string Name = "";                         // 3
    public bool Online;                              // 4
    public float Speed;                              // 5
    public double Score;                             // 6
    public Binary Token = Binary.Empty;              // 7
    public List<int> Items = [];                     // 8
    public Dictionary<long, string> Friends = [];    // 9
    public BenchPosition Position = new();           // 10

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (Id != 0) { i = bb.WriteTag(i, 1, ByteBuffer.INTEGER); bb.WriteLong(Id); }
        if (Level != 0) { i = bb.WriteTag(i, 2, ByteBuffer.INTEGER); bb.WriteInt(Level); }
        if (Name.Length != 0) { i = bb.WriteTag(i, 3, ByteBuffer.BYTES); bb.WriteString(Name); }
        if (Online) { i = bb.WriteTag(i, 4, ByteBuffer.INTEGER); bb.WriteBool(true); }
        if (Speed != 0) { i = bb.WriteTag(i, 5, ByteBuffer.FLOAT); bb.WriteFloat(Speed); }
        if (Score != 0) { i = bb.WriteTag(i, 6, ByteBuffer.DOUBLE); bb.WriteDouble(Score); }
        if (Token.Count != 0) { i = bb.WriteTag(i, 7, ByteBuffer.BYTES); bb.WriteBinary(Token); }
        if (Items.Count != 0)
        {
            i = bb.WriteTag(i, 8, ByteBuffer.LIST);
            bb.WriteListType(Items.Count, ByteBuffer.INTEGER);
            foreach (int x in Items) bb.WriteInt(x);
        }
        if (Friends.Count != 0)
        {
            i = bb.WriteTag(i, 9, ByteBuffer.MAP);
            bb.WriteMapType(Friends.Count, ByteBuffer.INTEGER, ByteBuffer.BYTES);
            foreach (var (k, v) in Friends)
            {
                bb.WriteLong(k);
                bb.WriteString(v);
            }
        }
        i = bb.WriteBeanField(i, 10, Position);
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        int t = bb.ReadByte();
        int i = bb.ReadTagSize(t);
        if (Skip(bb, ref t, ref i, 1)) { Id = bb.ReadLong(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (Skip(bb, ref t, ref i, 2)) { Level = bb.ReadInt(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (Skip(bb, ref t, ref i, 3)) { Name = bb.ReadString(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (Skip(bb, ref t, ref i, 4)) { Online = bb.ReadBool(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (Skip(bb, ref t, ref i, 5)) { Speed = bb.ReadFloat(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (Skip(bb, ref t, ref i, 6)) { Score = bb.ReadDouble(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (Skip(bb, ref t, ref i, 7)) { Token = bb.ReadBinary(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        Items.Clear();
        if (Skip(bb, ref t, ref i, 8))
        {
            for (int n = bb.ReadListHeader(t, out int et); n > 0; n--) Items.Add(bb.ReadInt(et));
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        Friends.Clear();
        if (Skip(bb, ref t, ref i, 9))
        {
            for (int n = bb.ReadMapHeader(t, out int kt, out int vt); n > 0; n--)
            {
                long k = bb.ReadLong(kt);
                Friends[k] = bb.ReadString(vt);
            }
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        if (Skip(bb, ref t, ref i, 10)) { bb.ReadBean(Position, t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        bb.SkipAllUnknownFields(t);
    }

    /// <summary>Skips unknown fields before <paramref name="id"/>; true when the current field is <paramref name="id"/>.</summary>
    private static bool Skip(ByteBuffer bb, ref int t, ref int i, int id)
    {
        while (t > ByteBuffer.BASE && i < id)
        {
            bb.SkipUnknownField(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        return i == id;
    }
}

/// <summary>The nested bean of <see cref="BenchBean"/>: <c>{1:int X, 2:int Y, 3:int Z}</c>.</summary>
public sealed class BenchPosition : ISerializable
{
    public int X, Y, Z;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (X != 0) { i = bb.WriteTag(i, 1, ByteBuffer.INTEGER); bb.WriteInt(X); }
        if (Y != 0) { i = bb.WriteTag(i, 2, ByteBuffer.INTEGER); bb.WriteInt(Y); }
        if (Z != 0) { i = bb.WriteTag(i, 3, ByteBuffer.INTEGER); bb.WriteInt(Z); }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        int t = bb.ReadByte();
        int i = bb.ReadTagSize(t);
        if (i == 1 && t > ByteBuffer.BASE) { X = bb.ReadInt(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (i == 2 && t > ByteBuffer.BASE) { Y = bb.ReadInt(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        if (i == 3 && t > ByteBuffer.BASE) { Z = bb.ReadInt(t); i += bb.ReadTagSize(t = bb.ReadByte()); }
        bb.SkipAllUnknownFields(t);
    }
}
