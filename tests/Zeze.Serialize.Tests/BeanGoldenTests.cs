using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>
/// The bean examples E44–E64 of wire-and-schema.md A15, with hand-written beans in the shape of generated
/// code: the encoding is exactly the spec's bytes, and decoding the bytes gives the value back.
/// </summary>
public class BeanGoldenTests
{
    private static void Golden(ISerializable bean, string hex, Func<ISerializable> fresh)
    {
        Assert.Equal(Hex.Norm(hex), Hex.Encode(bean));
        var back = Hex.Decode(hex, fresh());
        Assert.Equal(Hex.Norm(hex), Hex.Encode(back)); // decoding then encoding again is the identity
    }

    [Fact]
    public void E44_AllDefaultsIsTheEndByte()
    {
        Golden(new BIntString(), "00", () => new BIntString());
        Golden(new BListInner(), "00", () => new BListInner());
        Golden(new BTwoInner(), "00", () => new BTwoInner());
    }

    [Fact]
    public void E45_OneInt()
    {
        Golden(new BIntString { V1 = 5 }, "10 05 00", () => new BIntString());
        Assert.Equal(5, Hex.Decode("10 05 00", new BIntString()).V1);
    }

    [Fact]
    public void E46_IntAndString()
    {
        Golden(new BIntString { V1 = 150, V2 = "hi" }, "10 40 96 13 02 68 69 00", () => new BIntString());
        var b = Hex.Decode("10 40 96 13 02 68 69 00", new BIntString());
        Assert.Equal(150, b.V1);
        Assert.Equal("hi", b.V2);
    }

    [Fact]
    public void E47_BigIdDeltaTakesExtendedTag()
    {
        Golden(new BBoolLong { V3 = true, V20 = -1 }, "30 01 F0 02 FF 00", () => new BBoolLong());
        var b = Hex.Decode("30 01 F0 02 FF 00", new BBoolLong());
        Assert.True(b.V3);
        Assert.Equal(-1, b.V20);
    }

    [Fact]
    public void E47_ReaderThatKnowsOnlyField3SkipsField20()
    {
        var b = Hex.Decode("30 01 F0 02 FF 00", new BOneInt(3));
        Assert.Equal(1, b.Value); // bool true read as an int
    }

    [Fact]
    public void E47_ReaderWithAStringAtField3Throws()
    {
        Assert.Throws<DecodeException>(() => Hex.Decode("30 01 F0 02 FF 00", new BOneString(3)));
    }

    [Theory]
    [InlineData(14, "E0 07 00")]    // E48: the largest delta in one byte
    [InlineData(15, "F0 00 07 00")] // E49: delta 15 = F0 + UInt(0)
    [InlineData(4095, "F0 8F F0 07 00")] // E50: the generator's largest id
    public void E48_E50_TagForms(int id, string hex)
    {
        Golden(new BOneInt(id) { Value = 7 }, hex, () => new BOneInt(id));
        Assert.Equal(7, Hex.Decode(hex, new BOneInt(id)).Value);
    }

    [Fact]
    public void E51_FloatAndDouble()
    {
        const string hex = "11 00 00 C0 3F 12 00 00 00 00 00 00 F0 BF 00";
        Golden(new BFloatDouble { V1 = 1.5f, V2 = -1 }, hex, () => new BFloatDouble());
        var b = Hex.Decode(hex, new BFloatDouble());
        Assert.Equal(1.5f, b.V1);
        Assert.Equal(-1.0, b.V2);
    }

    [Fact]
    public void FloatZeroAndNegativeZeroAreOmittedButNaNIsWritten()
    {
        Assert.Equal("00", Hex.Encode(new BFloatDouble { V1 = -0.0f, V2 = -0.0 }));
        // .NET's float.NaN is the negative quiet NaN FFC00000; its bits are written as they are.
        Assert.Equal(Hex.Norm("11 00 00 C0 FF 00"), Hex.Encode(new BFloatDouble { V1 = float.NaN }));
        Assert.Equal(Hex.Norm("11 01 00 80 7F 00"), Hex.Encode(new BFloatDouble { V1 = BitConverter.Int32BitsToSingle(0x7F800001) }));
    }

    [Fact]
    public void E52_ListOfInt()
    {
        Golden(new BListInt { V1 = [1, 2, 3] }, "14 30 01 02 03 00", () => new BListInt());
        Assert.Equal([1, 2, 3], Hex.Decode("14 30 01 02 03 00", new BListInt()).V1);
    }

    [Fact]
    public void E53_ListOf20TakesExtendedHeader()
    {
        string hex = "24 F0 05 " + string.Join(" ", Enumerable.Range(0, 20).Select(i => i.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))) + " 00";
        var bean = new BListLong { V2 = [.. Enumerable.Range(0, 20).Select(i => (long)i)] };
        Golden(bean, hex, () => new BListLong());
        Assert.Equal(bean.V2, Hex.Decode(hex, new BListLong()).V2);
    }

    [Fact]
    public void E54_SetOfString()
    {
        Golden(new BSetString { V1 = ["x"] }, "14 13 01 78 00", () => new BSetString());
        Assert.Equal(["x"], Hex.Decode("14 13 01 78 00", new BSetString()).V1);
    }

    [Fact]
    public void E55_MapOfIntToString()
    {
        const string hex = "25 03 02 01 01 61 02 02 62 63 00";
        Golden(new BMapIntString { V2 = { [1] = "a", [2] = "bc" } }, hex, () => new BMapIntString());
        var b = Hex.Decode(hex, new BMapIntString());
        Assert.Equal(new Dictionary<int, string> { [1] = "a", [2] = "bc" }, b.V2);
    }

    [Fact]
    public void E56_MapOfLongToBean()
    {
        const string hex = "15 06 01 07 10 09 00 00";
        Golden(new BMapLongInner { V1 = { [7] = new BInner(9) } }, hex, () => new BMapLongInner());
        var b = Hex.Decode(hex, new BMapLongInner());
        Assert.Equal(new Dictionary<long, BInner> { [7] = new BInner(9) }, b.V1);
    }

    [Fact]
    public void E57_ListOfBeansKeepsDefaultElements()
    {
        const string hex = "34 26 10 01 00 00 00";
        Golden(new BListInner { V3 = [new BInner(1), new BInner()] }, hex, () => new BListInner());
        Assert.Equal([new BInner(1), new BInner()], Hex.Decode(hex, new BListInner()).V3);
    }

    [Fact]
    public void E58_DefaultNestedBeanIsOmitted()
    {
        const string hex = "36 10 01 00 00";
        Golden(new BTwoInner { V3 = new BInner(1), V4 = new BInner() }, hex, () => new BTwoInner());
        var b = Hex.Decode(hex, new BTwoInner());
        Assert.Equal(1, b.V3.V1);
        Assert.Equal(0, b.V4.V1);
    }

    [Fact]
    public void WriteBeanFieldRollsBackOnlyTheOmittedField()
    {
        // The second bean is the default: its tag is removed again and the id delta of field 4 counts from 3.
        var bean = new BTwoInner { V3 = new BInner(1), V4 = new BInner(2) };
        Assert.Equal(Hex.Norm("36 10 01 00 16 10 02 00 00"), Hex.Encode(bean));
        var onlyFour = new BTwoInner { V4 = new BInner(2) };
        Assert.Equal(Hex.Norm("46 10 02 00 00"), Hex.Encode(onlyFour));
    }

    [Fact]
    public void E59_DynamicWithHashTypeId()
    {
        const string hex = "17 7F DE AC 53 59 3A 76 90 57 10 07 00 00";
        var bean = new BDynamicField(1);
        bean.Value.Set(BDyn.TypeId, new BDyn { V1 = 7 });
        Golden(bean, hex, () => new BDynamicField(1));
        var b = Hex.Decode(hex, new BDynamicField(1));
        Assert.Equal(BDyn.TypeId, b.Value.TypeId);
        Assert.Equal(7, Assert.IsType<BDyn>(b.Value.Bean).V1);
    }

    [Fact]
    public void E60_DynamicWithSpecialIdAndEmptyBean()
    {
        const string hex = "27 05 00 00";
        var bean = new BDynamicField(2);
        bean.Value.Set(5, new BInner());
        Golden(bean, hex, () => new BDynamicField(2));
        var b = Hex.Decode(hex, new BDynamicField(2));
        Assert.Equal(5, b.Value.TypeId);
        Assert.Equal(new BInner(), b.Value.Bean);
    }

    [Fact]
    public void DynamicOfUnknownTypeIsSkippedAndBecomesEmpty()
    {
        // Type id 99 is unknown to the reader: the bean {1:int=7} is skipped, the value is empty, no error.
        var b = Hex.Decode("17 63 10 07 00 00", new BDynamicField(1));
        Assert.True(b.Value.IsEmpty);
    }

    [Fact]
    public void EmptyDynamicIsOmitted() => Assert.Equal("00", Hex.Encode(new BDynamicField(1)));

    [Fact]
    public void E61_Vector3()
    {
        const string hex = "5A 00 00 80 3F 00 00 00 40 00 00 40 40 00";
        Golden(new BVectors { V5 = new Vector3(1, 2, 3) }, hex, () => new BVectors());
        Assert.Equal(new Vector3(1, 2, 3), Hex.Decode(hex, new BVectors()).V5);
    }

    [Fact]
    public void E62_Vector2Int()
    {
        Golden(new BVectors { V1 = new Vector2Int(1, -1) }, "19 01 FF 00", () => new BVectors());
        Assert.Equal(new Vector2Int(1, -1), Hex.Decode("19 01 FF 00", new BVectors()).V1);
    }

    [Fact]
    public void E63_DerivedThenSeparatorThenBase()
    {
        const string hex = "10 02 01 13 01 62 00";
        Golden(new BDerived { V1 = 2, Base = { V1 = "b" } }, hex, () => new BDerived());
        var b = Hex.Decode(hex, new BDerived());
        Assert.Equal(2, b.V1);
        Assert.Equal("b", b.Base.V1);
    }

    [Fact]
    public void E63_ReaderWithoutBaseSkipsTheBasePart()
    {
        // BOneInt(1) knows field 1 but has no base: the separator and the base fields are skipped to the final 00.
        Assert.Equal(2, Hex.Decode("10 02 01 13 01 62 00", new BOneInt(1)).Value);
    }

    // The spec's prose calls the list "3:list", but its tag 34 follows field 2, so the id delta 3 makes it field 5.
    private const string E64 = "25 03 02 01 01 61 02 02 62 63 34 26 10 01 00 00 01 13 02 7A 7A 00";

    [Fact]
    public void E64_SkipBeanConsumesExactlyTheDerivedStream()
    {
        var bb = ByteBuffer.Wrap(Hex.Parse(E64 + " 5A 5A")); // two trailing bytes that are not the bean's
        bb.SkipBean();
        Assert.Equal(22, bb.ReadIndex);
        Assert.Equal(2, bb.Size);
    }

    [Fact]
    public void E64_SkipUnknownFieldOfBeanTagConsumesExactlyTheBean()
    {
        var bb = ByteBuffer.Wrap(Hex.Parse("46 " + E64 + " 5A"));
        int tag = bb.ReadByte();
        Assert.Equal(4, bb.ReadTagSize(tag));
        bb.SkipUnknownField(tag);
        Assert.Equal(23, bb.ReadIndex);
        Assert.Equal(1, bb.Size);
    }

    [Fact]
    public void E64_DynamicSkipConsumesTypeIdAndBean()
    {
        var bb = ByteBuffer.Wrap(Hex.Parse("17 41 2C " + E64));
        bb.SkipUnknownField(bb.ReadByte());
        Assert.Equal(0, bb.Size);
    }

    [Fact]
    public void E64_FullReaderGetsDerivedAndBaseFields()
    {
        var b = Hex.Decode(E64, new BDerivedMapList());
        Assert.Equal(new Dictionary<int, string> { [1] = "a", [2] = "bc" }, b.V2);
        Assert.Equal([new BInner(1), new BInner()], b.V5);
        Assert.Equal("zz", b.Base.V1);
        Assert.Equal(Hex.Norm(E64), Hex.Encode(b));
    }

    [Fact]
    public void E64_ReaderKnowingOnlyTheMapSkipsListAndBase()
    {
        var b = Hex.Decode(E64, new BMapIntString());
        Assert.Equal(new Dictionary<int, string> { [1] = "a", [2] = "bc" }, b.V2);
    }

    [Fact]
    public void E64_ReaderKnowingOnlyTheListSkipsMapAndBase()
    {
        var b = Hex.Decode(E64, new BListInner(5));
        Assert.Equal([new BInner(1), new BInner()], b.V3);
        Assert.Empty(Hex.Decode(E64, new BListInner(3)).V3); // at id 3 nothing is found: 5 is past it
    }

    [Fact]
    public void E64_ReaderKnowingOnlyTheBaseFieldIdDoesNotConfuseItWithTheBasePart()
    {
        // Field 1 of the derived level is absent; the base's field 1 follows the separator and is not read.
        Assert.Equal("", Hex.Decode(E64, new BOneString(1)).Value);
    }
}
