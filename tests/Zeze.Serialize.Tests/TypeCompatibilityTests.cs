using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>
/// Reads of a field whose wire type differs from the reader's type (wire-and-schema.md A13): the compatible
/// ones convert and consume exactly the field; the others throw <see cref="DecodeException"/>.
/// </summary>
public class TypeCompatibilityTests
{
    /// <summary>A buffer holding one payload written by <paramref name="write"/>, plus a trailing marker byte.</summary>
    private static ByteBuffer Payload(Action<ByteBuffer> write)
    {
        var bb = ByteBuffer.Allocate();
        write(bb);
        bb.WriteByte(0x5A);
        return bb;
    }

    private static void AssertOnlyMarkerLeft(ByteBuffer bb)
    {
        Assert.Equal(1, bb.Size);
        Assert.Equal(0x5A, bb.ReadByte());
    }

    [Fact]
    public void IntegersTruncateLikeACast()
    {
        var bb = Payload(b => b.WriteLong(0x1_2345_6789));
        Assert.Equal(0x2345_6789, bb.ReadInt(ByteBuffer.INTEGER));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteLong(-129));
        Assert.Equal(unchecked((byte)-129), bb.ReadByte(ByteBuffer.INTEGER));
        bb = Payload(b => b.WriteLong(70000));
        Assert.Equal(unchecked((short)70000), bb.ReadShort(ByteBuffer.INTEGER));
    }

    [Theory]
    [InlineData(3.9f, 3)]
    [InlineData(-3.9f, -3)]
    [InlineData(0.0f, 0)]
    public void FloatReadAsIntegerTruncatesTowardZero(float value, long expected)
    {
        var bb = Payload(b => b.WriteFloat(value));
        Assert.Equal(expected, bb.ReadLong(ByteBuffer.FLOAT));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteDouble(value));
        Assert.Equal((int)expected, bb.ReadInt(ByteBuffer.DOUBLE));
        AssertOnlyMarkerLeft(bb);
    }

    [Fact]
    public void OutOfRangeFloatReadAsIntegerDoesNotThrow()
    {
        // .NET 9+ saturates float-to-integer casts (as Java does); either way decoding must not fail.
        var bb = Payload(b => b.WriteDouble(1e300));
        bb.ReadLong(ByteBuffer.DOUBLE);
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteFloat(float.NaN));
        bb.ReadInt(ByteBuffer.FLOAT);
        AssertOnlyMarkerLeft(bb);
    }

    [Fact]
    public void FloatAndDoubleAcceptEachOtherAndIntegers()
    {
        var bb = Payload(b => b.WriteLong(-5));
        Assert.Equal(-5.0f, bb.ReadFloat(ByteBuffer.INTEGER));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteDouble(0.1));
        Assert.Equal((float)0.1, bb.ReadFloat(ByteBuffer.DOUBLE));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteFloat(0.1f));
        Assert.Equal((double)0.1f, bb.ReadDouble(ByteBuffer.FLOAT));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteLong(long.MaxValue));
        Assert.Equal(long.MaxValue, bb.ReadDouble(ByteBuffer.INTEGER));
        AssertOnlyMarkerLeft(bb);
    }

    [Fact]
    public void BoolAcceptsIntegerFloatAndDouble()
    {
        var bb = Payload(b => b.WriteLong(2));
        Assert.True(bb.ReadBool(ByteBuffer.INTEGER));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteFloat(0.0f));
        Assert.False(bb.ReadBool(ByteBuffer.FLOAT));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteDouble(0.5));
        Assert.True(bb.ReadBool(ByteBuffer.DOUBLE));
        AssertOnlyMarkerLeft(bb);
    }

    [Fact]
    public void StringAndBinaryShareTheBytesType()
    {
        var bb = Payload(b => b.WriteString("hé"));
        Assert.Equal(new Binary("hé"u8), bb.ReadBinary(ByteBuffer.BYTES));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteBytes("ok"u8));
        Assert.Equal("ok", bb.ReadString(ByteBuffer.BYTES));
        AssertOnlyMarkerLeft(bb);
    }

    [Fact]
    public void ListIsReadAsSetAndElementsConvert()
    {
        // A list<string> with a duplicate, read by a set<string> reader.
        var list = ByteBuffer.Allocate();
        list.WriteTag(0, 1, ByteBuffer.LIST);
        list.WriteListType(3, ByteBuffer.BYTES);
        list.WriteString("x");
        list.WriteString("y");
        list.WriteString("x");
        list.WriteByte(0);
        var set = new BSetString();
        set.Decode(ByteBuffer.Wrap(list.ToArray()));
        Assert.Equal(["x", "y"], set.V1.Order());

        // list<float> on the wire read by list<long> (element conversion uses the header's element type).
        var floats = ByteBuffer.Allocate();
        floats.WriteTag(0, 2, ByteBuffer.LIST);
        floats.WriteListType(2, ByteBuffer.FLOAT);
        floats.WriteFloat(1.75f);
        floats.WriteFloat(-2.5f);
        floats.WriteByte(0);
        Assert.Equal([1L, -2L], BeanGenerators.Decode(floats.ToArray(), new BListLong()).V2);

        // list<long> with big values read by list<int>: truncation per element.
        var longs = new BListLong { V2 = [0x1_0000_0001, -1] };
        var asInts = ByteBuffer.Allocate();
        longs.Encode(asInts);
        // BListLong is at id 2, BListInt at id 1: rewrite the tag byte 0x24 to 0x14.
        asInts.Bytes[asInts.ReadIndex] = 0x14;
        Assert.Equal([1, -1], BeanGenerators.Decode(asInts.ToArray(), new BListInt()).V1);
    }

    [Fact]
    public void MapKeysAndValuesConvert()
    {
        // map<long,BInner> written with double keys and dynamic values: keys truncate, dynamic becomes bean.
        var bb = ByteBuffer.Allocate();
        bb.WriteTag(0, 1, ByteBuffer.MAP);
        bb.WriteMapType(1, ByteBuffer.DOUBLE, ByteBuffer.DYNAMIC);
        bb.WriteDouble(7.9);
        bb.WriteLong(12345); // type id, skipped by a bean reader
        new BInner(9).Encode(bb);
        bb.WriteByte(0);
        var back = BeanGenerators.Decode(bb.ToArray(), new BMapLongInner());
        Assert.Equal(new Dictionary<long, BInner> { [7] = new BInner(9) }, back.V1);
    }

    [Fact]
    public void BeanIsReadFromDynamicAndDynamicFromBean()
    {
        // {3:dynamic(typeId 256, BInner{1})} read by BTwoInner whose field 3 is a bean.
        var bean = BeanGenerators.Decode(Hex.Parse("37 41 00 10 01 00 00"), new BTwoInner());
        Assert.Equal(1, bean.V3.V1);

        // {5:BTree{1:3}} read by BTree whose field 5 is dynamic: a plain bean is type id 0, which BTree maps to BTree.
        var tree = BeanGenerators.Decode(Hex.Parse("56 10 03 00 00"), new BTree());
        Assert.Equal(0, tree.Any.TypeId);
        Assert.Equal(3, Assert.IsType<BTree>(tree.Any.Bean).Id);

        // BDynamicField knows no bean for type id 0: a plain bean there is an error.
        Assert.Throws<DecodeException>(() => BeanGenerators.Decode(Hex.Parse("16 10 03 00 00"), new BDynamicField(1)));
    }

    [Fact]
    public void VectorsConvertBetweenKinds()
    {
        var bb = Payload(b => b.WriteVector3(new Vector3(1, 2, 3)));
        Assert.Equal(new Vector2(1, 2), bb.ReadVector2(ByteBuffer.VECTOR3)); // longer: truncated
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteVector2(new Vector2(1, 2)));
        Assert.Equal(new Vector4(1, 2, 0, 0), bb.ReadVector4(ByteBuffer.VECTOR2)); // shorter: padded
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteFloat(4.5f));
        Assert.Equal(new Vector3(4.5f, 0, 0), bb.ReadVector3(ByteBuffer.FLOAT));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteLong(-6));
        Assert.Equal(new Vector2(-6, 0), bb.ReadVector2(ByteBuffer.INTEGER));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteDouble(2.25));
        Assert.Equal(new Quaternion(2.25f, 0, 0, 0), bb.ReadQuaternion(ByteBuffer.DOUBLE));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteVector3(new Vector3(1.9f, -2.9f, 3)));
        Assert.Equal(new Vector2Int(1, -2), bb.ReadVector2Int(ByteBuffer.VECTOR3));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteVector3Int(new Vector3Int(7, 8, 9)));
        Assert.Equal(new Vector2Int(7, 8), bb.ReadVector2Int(ByteBuffer.VECTOR3INT));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteVector2Int(new Vector2Int(7, 8)));
        Assert.Equal(new Vector3(7, 8, 0), bb.ReadVector3(ByteBuffer.VECTOR2INT));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteLong(11));
        Assert.Equal(new Vector3Int(11, 0, 0), bb.ReadVector3Int(ByteBuffer.INTEGER));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteVector4(new Vector4(1, 2, 3, 4)));
        Assert.Equal(new Vector3Int(1, 2, 3), bb.ReadVector3Int(ByteBuffer.VECTOR4));
        AssertOnlyMarkerLeft(bb);
        bb = Payload(b => b.WriteFloat(-1.5f));
        Assert.Equal(new Vector2Int(-1, 0), bb.ReadVector2Int(ByteBuffer.FLOAT));
        AssertOnlyMarkerLeft(bb);
    }

    public static TheoryData<string, int> Incompatible => new()
    {
        { "string from integer", ByteBuffer.INTEGER },
        { "integer from bytes", ByteBuffer.BYTES },
        { "float from list", ByteBuffer.LIST },
        { "double from map", ByteBuffer.MAP },
        { "bool from bean", ByteBuffer.BEAN },
        { "list from map", ByteBuffer.MAP },
        { "map from list", ByteBuffer.LIST },
        { "bean from integer", ByteBuffer.INTEGER },
        { "dynamic from integer", ByteBuffer.INTEGER },
        { "vector from bytes", ByteBuffer.BYTES },
        { "vectorint from bean", ByteBuffer.BEAN },
        { "integer from vector", ByteBuffer.VECTOR3 },
        { "binary from double", ByteBuffer.DOUBLE },
    };

    [Theory]
    [MemberData(nameof(Incompatible))]
    public void IncompatibleReadsThrowDecodeException(string what, int wireType)
    {
        // Enough zero bytes for any payload, so only the type check can fail.
        var bb = ByteBuffer.Wrap(new byte[32]);
        Action read = what switch
        {
            "string from integer" => () => bb.ReadString(wireType),
            "integer from bytes" => () => bb.ReadLong(wireType),
            "float from list" => () => bb.ReadFloat(wireType),
            "double from map" => () => bb.ReadDouble(wireType),
            "bool from bean" => () => bb.ReadBool(wireType),
            "list from map" => () => bb.ReadListHeader(wireType, out _),
            "map from list" => () => bb.ReadMapHeader(wireType, out _, out _),
            "bean from integer" => () => bb.ReadBean(new BInner(), wireType),
            "dynamic from integer" => () => new DynamicValue(BTree.Create).Decode(bb, wireType),
            "vector from bytes" => () => bb.ReadVector3(wireType),
            "vectorint from bean" => () => bb.ReadVector2Int(wireType),
            "integer from vector" => () => bb.ReadInt(wireType),
            "binary from double" => () => bb.ReadBinary(wireType),
            _ => throw new ArgumentException(what),
        };
        Assert.Throws<DecodeException>(read);
    }

    [Fact]
    public void IncompatibleFieldInABeanFailsTheWholeDecode()
    {
        // {1:string "a"} read by BListInt, whose field 1 is a list.
        Assert.Throws<DecodeException>(() => BeanGenerators.Decode(Hex.Parse("13 01 61 00"), new BListInt()));
        // {2:list<int>} read by BMapIntString, whose field 2 is a map.
        Assert.Throws<DecodeException>(() => BeanGenerators.Decode(Hex.Parse("24 10 01 00"), new BMapIntString()));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void ReservedTypesCannotBeSkipped(int type)
    {
        var bb = ByteBuffer.Wrap(new byte[32]);
        Assert.Throws<DecodeException>(() => bb.SkipUnknownField(0x10 | type));
    }
}
