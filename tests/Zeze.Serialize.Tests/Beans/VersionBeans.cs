namespace Zeze.Serialize.Tests.Beans;

// Two versions of one bean for cross-version decoding. V2 added fields of every wire type between and
// after V1's fields (with id gaps of 15 and more), dropped V1's field 30, and has fields with defaults.

/// <summary>The old version: <c>{1:int, 4:string, 17:long, 30:int default 7, 100:bool, 100000:string}</c>.</summary>
public sealed class BV1 : ISerializable
{
    public int A;                 // 1
    public string S = "";         // 4
    public long L;                // 17
    public int Legacy = 7;        // 30, default="7"; V2 removed it
    public bool B;                // 100
    public string Last = "";      // 100000

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (A != 0) { i = bb.WriteTag(i, 1, ByteBuffer.INTEGER); bb.WriteInt(A); }
        if (S.Length != 0) { i = bb.WriteTag(i, 4, ByteBuffer.BYTES); bb.WriteString(S); }
        if (L != 0) { i = bb.WriteTag(i, 17, ByteBuffer.INTEGER); bb.WriteLong(L); }
        if (Legacy != 0) { i = bb.WriteTag(i, 30, ByteBuffer.INTEGER); bb.WriteInt(Legacy); }
        if (B) { i = bb.WriteTag(i, 100, ByteBuffer.INTEGER); bb.WriteBool(true); }
        if (Last.Length != 0) { i = bb.WriteTag(i, 100000, ByteBuffer.BYTES); bb.WriteString(Last); }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { A = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 4)) { S = bb.ReadString(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 17)) { L = bb.ReadLong(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 30)) { Legacy = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        else Legacy = 0;
        if (Tags.At(bb, ref t, ref i, 100)) { B = bb.ReadBool(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 100000)) { Last = bb.ReadString(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>The new version: V1's fields (except 30) plus fields of every wire type.</summary>
public sealed class BV2 : ISerializable
{
    public const double DefaultD = 1.5;
    public const int DefaultWithDefault = 42;

    public int A;                                        // 1
    public float F;                                      // 2
    public double D = DefaultD;                          // 3, default="1.5"
    public string S = "";                                // 4
    public Binary Bin = Binary.Empty;                    // 5
    public List<int> Ints = [];                          // 6
    public List<BTree> Trees = [];                       // 7
    public Dictionary<long, string> Names = [];          // 8
    public Dictionary<string, BInner> Inners = [];       // 9
    public BTree Tree = new();                           // 10
    public DynamicValue Dyn = new(BTree.Create);         // 11
    public Vector2 V2f;                                  // 12
    public Vector2Int V2i;                               // 13
    public Vector3 V3f;                                  // 14
    public Vector3Int V3i;                               // 15
    public Vector4 V4f;                                  // 16
    public long L;                                       // 17
    public int WithDefault = DefaultWithDefault;         // 18, default="42"
    public Dictionary<int, Vector3> VecMap = [];         // 40
    public bool B;                                       // 100
    public List<string> Strings = [];                    // 5000
    public List<Vector3Int> Cells = [];                  // 70000
    public string Last = "";                             // 100000

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (A != 0) { i = bb.WriteTag(i, 1, ByteBuffer.INTEGER); bb.WriteInt(A); }
        if (F != 0) { i = bb.WriteTag(i, 2, ByteBuffer.FLOAT); bb.WriteFloat(F); }
        if (D != 0) { i = bb.WriteTag(i, 3, ByteBuffer.DOUBLE); bb.WriteDouble(D); }
        if (S.Length != 0) { i = bb.WriteTag(i, 4, ByteBuffer.BYTES); bb.WriteString(S); }
        if (Bin.Count != 0) { i = bb.WriteTag(i, 5, ByteBuffer.BYTES); bb.WriteBinary(Bin); }
        if (Ints.Count != 0)
        {
            i = bb.WriteTag(i, 6, ByteBuffer.LIST);
            bb.WriteListType(Ints.Count, ByteBuffer.INTEGER);
            foreach (int x in Ints) bb.WriteInt(x);
        }
        if (Trees.Count != 0)
        {
            i = bb.WriteTag(i, 7, ByteBuffer.LIST);
            bb.WriteListType(Trees.Count, ByteBuffer.BEAN);
            foreach (var x in Trees) bb.WriteBean(x);
        }
        if (Names.Count != 0)
        {
            i = bb.WriteTag(i, 8, ByteBuffer.MAP);
            bb.WriteMapType(Names.Count, ByteBuffer.INTEGER, ByteBuffer.BYTES);
            foreach (var (k, v) in Names) { bb.WriteLong(k); bb.WriteString(v); }
        }
        if (Inners.Count != 0)
        {
            i = bb.WriteTag(i, 9, ByteBuffer.MAP);
            bb.WriteMapType(Inners.Count, ByteBuffer.BYTES, ByteBuffer.BEAN);
            foreach (var (k, v) in Inners) { bb.WriteString(k); bb.WriteBean(v); }
        }
        i = bb.WriteBeanField(i, 10, Tree);
        if (!Dyn.IsEmpty) { i = bb.WriteTag(i, 11, ByteBuffer.DYNAMIC); Dyn.Encode(bb); }
        if (V2f != default) { i = bb.WriteTag(i, 12, ByteBuffer.VECTOR2); bb.WriteVector2(V2f); }
        if (V2i != default) { i = bb.WriteTag(i, 13, ByteBuffer.VECTOR2INT); bb.WriteVector2Int(V2i); }
        if (V3f != default) { i = bb.WriteTag(i, 14, ByteBuffer.VECTOR3); bb.WriteVector3(V3f); }
        if (V3i != default) { i = bb.WriteTag(i, 15, ByteBuffer.VECTOR3INT); bb.WriteVector3Int(V3i); }
        if (V4f != default) { i = bb.WriteTag(i, 16, ByteBuffer.VECTOR4); bb.WriteVector4(V4f); }
        if (L != 0) { i = bb.WriteTag(i, 17, ByteBuffer.INTEGER); bb.WriteLong(L); }
        if (WithDefault != 0) { i = bb.WriteTag(i, 18, ByteBuffer.INTEGER); bb.WriteInt(WithDefault); }
        if (VecMap.Count != 0)
        {
            i = bb.WriteTag(i, 40, ByteBuffer.MAP);
            bb.WriteMapType(VecMap.Count, ByteBuffer.INTEGER, ByteBuffer.VECTOR3);
            foreach (var (k, v) in VecMap) { bb.WriteInt(k); bb.WriteVector3(v); }
        }
        if (B) { i = bb.WriteTag(i, 100, ByteBuffer.INTEGER); bb.WriteBool(true); }
        if (Strings.Count != 0)
        {
            i = bb.WriteTag(i, 5000, ByteBuffer.LIST);
            bb.WriteListType(Strings.Count, ByteBuffer.BYTES);
            foreach (string x in Strings) bb.WriteString(x);
        }
        if (Cells.Count != 0)
        {
            i = bb.WriteTag(i, 70000, ByteBuffer.LIST);
            bb.WriteListType(Cells.Count, ByteBuffer.VECTOR3INT);
            foreach (var x in Cells) bb.WriteVector3Int(x);
        }
        if (Last.Length != 0) { i = bb.WriteTag(i, 100000, ByteBuffer.BYTES); bb.WriteString(Last); }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { A = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 2)) { F = bb.ReadFloat(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 3)) { D = bb.ReadDouble(t); Tags.Next(bb, ref t, ref i); }
        else D = 0;
        if (Tags.At(bb, ref t, ref i, 4)) { S = bb.ReadString(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 5)) { Bin = bb.ReadBinary(t); Tags.Next(bb, ref t, ref i); }
        Ints.Clear();
        if (Tags.At(bb, ref t, ref i, 6))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) Ints.Add(bb.ReadInt(et));
            Tags.Next(bb, ref t, ref i);
        }
        Trees.Clear();
        if (Tags.At(bb, ref t, ref i, 7))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) Trees.Add(bb.ReadBean(new BTree(), et));
            Tags.Next(bb, ref t, ref i);
        }
        Names.Clear();
        if (Tags.At(bb, ref t, ref i, 8))
        {
            int n = bb.ReadMapHeader(t, out int kt, out int vt);
            for (; n > 0; n--)
            {
                long k = bb.ReadLong(kt);
                Names[k] = bb.ReadString(vt);
            }
            Tags.Next(bb, ref t, ref i);
        }
        Inners.Clear();
        if (Tags.At(bb, ref t, ref i, 9))
        {
            int n = bb.ReadMapHeader(t, out int kt, out int vt);
            for (; n > 0; n--)
            {
                string k = bb.ReadString(kt);
                Inners[k] = bb.ReadBean(new BInner(), vt);
            }
            Tags.Next(bb, ref t, ref i);
        }
        if (Tags.At(bb, ref t, ref i, 10)) { bb.ReadBean(Tree, t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 11)) { Dyn.Decode(bb, t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 12)) { V2f = bb.ReadVector2(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 13)) { V2i = bb.ReadVector2Int(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 14)) { V3f = bb.ReadVector3(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 15)) { V3i = bb.ReadVector3Int(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 16)) { V4f = bb.ReadVector4(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 17)) { L = bb.ReadLong(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 18)) { WithDefault = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        else WithDefault = 0;
        VecMap.Clear();
        if (Tags.At(bb, ref t, ref i, 40))
        {
            int n = bb.ReadMapHeader(t, out int kt, out int vt);
            for (; n > 0; n--)
            {
                int k = bb.ReadInt(kt);
                VecMap[k] = bb.ReadVector3(vt);
            }
            Tags.Next(bb, ref t, ref i);
        }
        if (Tags.At(bb, ref t, ref i, 100)) { B = bb.ReadBool(t); Tags.Next(bb, ref t, ref i); }
        Strings.Clear();
        if (Tags.At(bb, ref t, ref i, 5000))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) Strings.Add(bb.ReadString(et));
            Tags.Next(bb, ref t, ref i);
        }
        Cells.Clear();
        if (Tags.At(bb, ref t, ref i, 70000))
        {
            int n = bb.ReadListHeader(t, out int et);
            for (; n > 0; n--) Cells.Add(bb.ReadVector3Int(et));
            Tags.Next(bb, ref t, ref i);
        }
        if (Tags.At(bb, ref t, ref i, 100000)) { Last = bb.ReadString(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}
