namespace Zeze.Serialize.Tests.Beans;

/// <summary>
/// A recursive bean with a field of every kind: a list of itself, a map of long to itself, a dynamic field
/// (itself or <see cref="BInner"/>), scalars, vectors, collections of scalars, a nested bean, and a field
/// with a default. The property and fuzz tests build random trees of it.
/// </summary>
public sealed class BTree : ISerializable, IEquatable<BTree>
{
    public const long TypeIdTree = 1;
    public const long TypeIdInner = 2;

    public static ISerializable? Create(long typeId) => typeId switch
    {
        0 or TypeIdTree => new BTree(), // type id 0: a plain bean on the wire is read as a tree
        TypeIdInner => new BInner(),
        _ => null,
    };

    public long Id;                                   // 1
    public string Name = "";                          // 2
    public List<BTree> Children = [];                 // 3
    public Dictionary<long, BTree> ByKey = [];        // 4
    public DynamicValue Any = new(Create);            // 5
    public double Weight;                             // 6
    public Binary Data = Binary.Empty;                // 7
    public Vector3 Pos;                               // 8
    public bool Flag;                                 // 9
    public float Ratio;                               // 10
    public List<float> Floats = [];                   // 11
    public Dictionary<string, int> Counts = [];       // 12
    public HashSet<long> Set = [];                    // 13
    public Vector2Int Cell;                           // 14
    public BInner Inner = new();                      // 15
    public int Level = DefaultLevel;                  // 16, has default="5"

    public const int DefaultLevel = 5;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (Id != 0) { i = bb.WriteTag(i, 1, ByteBuffer.INTEGER); bb.WriteLong(Id); }
        if (Name.Length != 0) { i = bb.WriteTag(i, 2, ByteBuffer.BYTES); bb.WriteString(Name); }
        if (Children.Count != 0)
        {
            i = bb.WriteTag(i, 3, ByteBuffer.LIST);
            bb.WriteListType(Children.Count, ByteBuffer.BEAN);
            foreach (var c in Children) bb.WriteBean(c);
        }
        if (ByKey.Count != 0)
        {
            i = bb.WriteTag(i, 4, ByteBuffer.MAP);
            bb.WriteMapType(ByKey.Count, ByteBuffer.INTEGER, ByteBuffer.BEAN);
            foreach (var (k, v) in ByKey) { bb.WriteLong(k); bb.WriteBean(v); }
        }
        if (!Any.IsEmpty) { i = bb.WriteTag(i, 5, ByteBuffer.DYNAMIC); Any.Encode(bb); }
        if (Weight != 0) { i = bb.WriteTag(i, 6, ByteBuffer.DOUBLE); bb.WriteDouble(Weight); }
        if (Data.Count != 0) { i = bb.WriteTag(i, 7, ByteBuffer.BYTES); bb.WriteBinary(Data); }
        if (Pos != default) { i = bb.WriteTag(i, 8, ByteBuffer.VECTOR3); bb.WriteVector3(Pos); }
        if (Flag) { i = bb.WriteTag(i, 9, ByteBuffer.INTEGER); bb.WriteBool(true); }
        if (Ratio != 0) { i = bb.WriteTag(i, 10, ByteBuffer.FLOAT); bb.WriteFloat(Ratio); }
        if (Floats.Count != 0)
        {
            i = bb.WriteTag(i, 11, ByteBuffer.LIST);
            bb.WriteListType(Floats.Count, ByteBuffer.FLOAT);
            foreach (float f in Floats) bb.WriteFloat(f);
        }
        if (Counts.Count != 0)
        {
            i = bb.WriteTag(i, 12, ByteBuffer.MAP);
            bb.WriteMapType(Counts.Count, ByteBuffer.BYTES, ByteBuffer.INTEGER);
            foreach (var (k, v) in Counts) { bb.WriteString(k); bb.WriteInt(v); }
        }
        if (Set.Count != 0)
        {
            i = bb.WriteTag(i, 13, ByteBuffer.LIST);
            bb.WriteListType(Set.Count, ByteBuffer.INTEGER);
            foreach (long x in Set) bb.WriteLong(x);
        }
        if (Cell != default) { i = bb.WriteTag(i, 14, ByteBuffer.VECTOR2INT); bb.WriteVector2Int(Cell); }
        i = bb.WriteBeanField(i, 15, Inner);
        if (Level != 0) { i = bb.WriteTag(i, 16, ByteBuffer.INTEGER); bb.WriteInt(Level); }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { Id = bb.ReadLong(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 2)) { Name = bb.ReadString(t); Tags.Next(bb, ref t, ref i); }
        Children.Clear();
        if (Tags.At(bb, ref t, ref i, 3))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) Children.Add(bb.ReadBean(new BTree(), et));
            Tags.Next(bb, ref t, ref i);
        }
        ByKey.Clear();
        if (Tags.At(bb, ref t, ref i, 4))
        {
            int n = bb.ReadMapHeader(t, out int kt, out int vt);
            for (; n > 0; n--)
            {
                long k = bb.ReadLong(kt);
                ByKey[k] = bb.ReadBean(new BTree(), vt);
            }
            Tags.Next(bb, ref t, ref i);
        }
        if (Tags.At(bb, ref t, ref i, 5)) { Any.Decode(bb, t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 6)) { Weight = bb.ReadDouble(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 7)) { Data = bb.ReadBinary(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 8)) { Pos = bb.ReadVector3(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 9)) { Flag = bb.ReadBool(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 10)) { Ratio = bb.ReadFloat(t); Tags.Next(bb, ref t, ref i); }
        Floats.Clear();
        if (Tags.At(bb, ref t, ref i, 11))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) Floats.Add(bb.ReadFloat(et));
            Tags.Next(bb, ref t, ref i);
        }
        Counts.Clear();
        if (Tags.At(bb, ref t, ref i, 12))
        {
            int n = bb.ReadMapHeader(t, out int kt, out int vt);
            for (; n > 0; n--)
            {
                string k = bb.ReadString(kt);
                Counts[k] = bb.ReadInt(vt);
            }
            Tags.Next(bb, ref t, ref i);
        }
        Set.Clear();
        if (Tags.At(bb, ref t, ref i, 13))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) Set.Add(bb.ReadLong(et));
            Tags.Next(bb, ref t, ref i);
        }
        if (Tags.At(bb, ref t, ref i, 14)) { Cell = bb.ReadVector2Int(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 15)) { bb.ReadBean(Inner, t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 16)) { Level = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        else Level = 0; // a field with a default that is absent is its natural zero (A8.3)
        bb.SkipAllUnknownFields(t);
    }

    public bool Equals(BTree? o) =>
        o is not null && Id == o.Id && Name == o.Name && Children.SequenceEqual(o.Children)
        && ByKey.Count == o.ByKey.Count && ByKey.All(kv => o.ByKey.TryGetValue(kv.Key, out var v) && kv.Value.Equals(v))
        && Any.TypeId == o.Any.TypeId && Any.Bean.Equals(o.Any.Bean)
        && Weight.Equals(o.Weight) && Data == o.Data && Pos == o.Pos && Flag == o.Flag && Ratio.Equals(o.Ratio)
        && Floats.Select(BitConverter.SingleToInt32Bits).SequenceEqual(o.Floats.Select(BitConverter.SingleToInt32Bits))
        && Counts.Count == o.Counts.Count && Counts.All(kv => o.Counts.TryGetValue(kv.Key, out int v) && v == kv.Value)
        && Set.SetEquals(o.Set) && Cell == o.Cell && Inner.Equals(o.Inner) && Level == o.Level;

    public override bool Equals(object? obj) => Equals(obj as BTree);
    public override int GetHashCode() => HashCode.Combine(Id, Name, Children.Count);
    public override string ToString() => $"BTree(id={Id}, name={Name}, children={Children.Count}, keys={ByKey.Count}, any={Any.TypeId})";
}
