using CsCheck;
using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>Random bean trees: encode then decode gives the same tree; skipping consumes exactly the bean.</summary>
public class BeanPropertyTests
{
    private static readonly Gen<BTree> Trees = BeanGenerators.Tree(3);

    [Fact]
    public void TreeRoundTrips() => Trees.Sample(tree =>
    {
        byte[] bytes = BeanGenerators.Encode(tree);
        var back = BeanGenerators.Decode(bytes, new BTree());
        Assert.Equal(tree, back);
        Assert.Equal(bytes, BeanGenerators.Encode(back)); // and encodes to the same bytes again
    }, iter: 1_000);

    [Fact]
    public void TreeDecodesAtAnyOffsetOfALargerArray() => Gen.Select(Trees, Gen.Byte.Array[0, 20], Gen.Byte.Array[0, 20]).Sample((tree, before, after) =>
    {
        byte[] bytes = BeanGenerators.Encode(tree);
        byte[] all = [.. before, .. bytes, .. after];
        var bb = ByteBuffer.Wrap(all, before.Length, bytes.Length);
        var back = new BTree();
        back.Decode(bb);
        Assert.Equal(tree, back);
        Assert.Equal(0, bb.Size);
    }, iter: 300);

    [Fact]
    public void SkipBeanAndSkipUnknownFieldConsumeExactlyTheBean() => Trees.Sample(tree =>
    {
        byte[] bytes = BeanGenerators.Encode(tree);
        var bb = ByteBuffer.From([.. bytes, 0x5A]);
        bb.SkipBean();
        Assert.Equal(1, bb.Size);

        // As an unknown field: tag of field 7 (type BEAN), then as a DYNAMIC field with a type id.
        var asField = ByteBuffer.Allocate();
        asField.WriteTag(0, 7, ByteBuffer.BEAN);
        asField.Append(bytes);
        asField.WriteTag(7, 100, ByteBuffer.DYNAMIC);
        asField.WriteLong(tree.Id);
        asField.Append(bytes);
        int end = asField.Size;
        asField.SkipUnknownField(asField.ReadByte());
        int tag = asField.ReadByte();
        Assert.Equal(93, asField.ReadTagSize(tag));
        asField.SkipUnknownField(tag);
        Assert.Equal(end, asField.ReadIndex);
    }, iter: 500);

    [Fact]
    public void ListsAndMapsOfBeansRoundTrip() => Gen.Select(PrimitivePropertyTests.AnyLong.List[0, 40], Gen.Select(PrimitivePropertyTests.AnyLong, PrimitivePropertyTests.AnyLong).List[0, 40]).Sample((values, pairs) =>
    {
        var list = new BListInner { V3 = [.. values.Select(v => new BInner(v))] };
        Assert.Equal(list.V3, BeanGenerators.Decode(BeanGenerators.Encode(list), new BListInner()).V3);
        var map = new BMapLongInner();
        foreach (var (k, v) in pairs) map.V1[k] = new BInner(v);
        var back = BeanGenerators.Decode(BeanGenerators.Encode(map), new BMapLongInner());
        Assert.Equal(map.V1.ToList(), back.V1.ToList()); // same pairs in the same order
    }, iter: 1_000);

    [Fact]
    public void FieldWithDefaultSurvivesZero()
    {
        // Level has default 5. A zero is not written, and the reader turns "absent" into 0, not into 5.
        var zero = new BTree { Level = 0 };
        Assert.Equal("00", Convert.ToHexString(BeanGenerators.Encode(zero)));
        Assert.Equal(0, BeanGenerators.Decode([0], new BTree()).Level);
        Assert.Equal(BTree.DefaultLevel, BeanGenerators.Decode(BeanGenerators.Encode(new BTree()), new BTree()).Level);
    }

    [Fact]
    public void EncodingIntoAPooledBufferGivesTheSameBytes() => Trees.Sample(tree =>
    {
        byte[] expected = BeanGenerators.Encode(tree);
        var bb = ByteBuffer.Rent(16);
        try
        {
            tree.Encode(bb);
            Assert.True(bb.Span.SequenceEqual(expected));
        }
        finally
        {
            ByteBuffer.Return(bb);
        }
    }, iter: 300);
}
