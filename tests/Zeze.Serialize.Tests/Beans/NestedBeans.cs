namespace Zeze.Serialize.Tests.Beans;

// Bean, dynamic and vector fields for the golden examples E58–E62.

/// <summary><c>{3:BInner, 4:BInner}</c> (E58): a nested bean equal to its default is left out.</summary>
public sealed class BTwoInner : ISerializable
{
    public BInner V3 = new();
    public BInner V4 = new();

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        i = bb.WriteBeanField(i, 3, V3);
        i = bb.WriteBeanField(i, 4, V4);
        _ = i;
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 3)) { bb.ReadBean(V3, t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 4)) { bb.ReadBean(V4, t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary><c>demo.BDyn {1:int}</c>, the concrete bean of E59.</summary>
public sealed class BDyn : ISerializable
{
    /// <summary>Hash64("demo.BDyn") as the spec gives it.</summary>
    public const long TypeId = 6821919178257502295;

    public int V1;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1 != 0)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.INTEGER);
            bb.WriteInt(V1);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { V1 = bb.ReadInt(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>
/// One dynamic field at an id chosen by the test (E59 uses 1, E60 uses 2). Known type ids: BDyn's hash,
/// and the special id 5 for <see cref="BInner"/>.
/// </summary>
public sealed class BDynamicField(int id) : ISerializable
{
    public static ISerializable? Create(long typeId) => typeId switch
    {
        BDyn.TypeId => new BDyn(),
        5 => new BInner(),
        _ => null,
    };

    public DynamicValue Value { get; } = new(Create);

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (!Value.IsEmpty)
        {
            i = bb.WriteTag(i, id, ByteBuffer.DYNAMIC);
            Value.Encode(bb);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, id)) { Value.Decode(bb, t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}

/// <summary>
/// <c>{1:vector2int, 5:vector3}</c> (E61, E62). Our vectors are value types, so the writer leaves a vector
/// out when all its components are zero (Java's rule); both readers give zero for an absent vector.
/// </summary>
public sealed class BVectors : ISerializable
{
    public Vector2Int V1;
    public Vector3 V5;

    public void Encode(ByteBuffer bb)
    {
        int i = 0;
        if (V1 != default)
        {
            i = bb.WriteTag(i, 1, ByteBuffer.VECTOR2INT);
            bb.WriteVector2Int(V1);
        }
        if (V5 != default)
        {
            i = bb.WriteTag(i, 5, ByteBuffer.VECTOR3);
            bb.WriteVector3(V5);
        }
        bb.WriteByte(ByteBuffer.END);
    }

    public void Decode(ByteBuffer bb)
    {
        Tags.First(bb, out int t, out int i);
        if (Tags.At(bb, ref t, ref i, 1)) { V1 = bb.ReadVector2Int(t); Tags.Next(bb, ref t, ref i); }
        if (Tags.At(bb, ref t, ref i, 5)) { V5 = bb.ReadVector3(t); Tags.Next(bb, ref t, ref i); }
        bb.SkipAllUnknownFields(t);
    }
}
