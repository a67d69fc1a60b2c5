using System.Diagnostics;
using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>
/// Malformed input: truncated data, lengths and counts larger than the data, deep nesting. Each must end in
/// a <see cref="DecodeException"/> quickly and without allocating for the declared sizes.
/// </summary>
public class CorruptInputTests
{
    private static readonly string[] GoldenBeans =
    [
        "10 05 00", "10 40 96 13 02 68 69 00", "30 01 F0 02 FF 00", "F0 8F F0 07 00",
        "11 00 00 C0 3F 12 00 00 00 00 00 00 F0 BF 00", "14 30 01 02 03 00", "25 03 02 01 01 61 02 02 62 63 00",
        "15 06 01 07 10 09 00 00", "34 26 10 01 00 00 00", "36 10 01 00 00", "17 7F DE AC 53 59 3A 76 90 57 10 07 00 00",
        "27 05 00 00", "5A 00 00 80 3F 00 00 00 40 00 00 40 40 00", "19 01 FF 00", "10 02 01 13 01 62 00",
        "25 03 02 01 01 61 02 02 62 63 34 26 10 01 00 00 01 13 02 7A 7A 00",
    ];

    private static readonly Func<ISerializable>[] Readers =
    [
        () => new BTree(), () => new BV1(), () => new BV2(), () => new BIntString(), () => new BBoolLong(),
        () => new BMapLongInner(), () => new BListInner(), () => new BTwoInner(), () => new BDerivedMapList(),
        () => new BDynamicField(1), () => new BVectors(), () => new BDerived(), () => new EmptyBean(),
    ];

    [Fact]
    public void EveryStrictPrefixOfAGoldenBeanIsADecodeException()
    {
        foreach (string hex in GoldenBeans)
        {
            byte[] bytes = Hex.Parse(hex);
            for (int k = 0; k < bytes.Length; k++)
            {
                var prefix = bytes[..k]; // an exact-size array: reading past it would be IndexOutOfRange
                Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(prefix).SkipBean());
                foreach (var reader in Readers)
                {
                    var bb = ByteBuffer.Wrap(prefix);
                    var bean = reader();
                    // A reader of another schema may also refuse the bytes for an incompatible type: same exception.
                    Assert.Throws<DecodeException>(() => bean.Decode(bb));
                    Assert.InRange(bb.ReadIndex, 0, bb.WriteIndex);
                }
            }
        }
    }

    [Fact]
    public void EveryStrictPrefixOfARandomTreeIsADecodeException()
    {
        // Every prefix of the smaller trees; about 300 evenly spread prefixes of the larger ones (a thrown
        // exception costs microseconds, and all prefixes of all trees would take most of the test budget).
        var random = new Random(7);
        for (int n = 0; n < 60; n++)
        {
            byte[] bytes = BeanGenerators.Encode(RandomBeans.Tree(random, 3));
            int step = Math.Max(1, bytes.Length / 300);
            for (int k = 0; k < bytes.Length; k += step)
            {
                var prefix = bytes[..k];
                Assert.Throws<DecodeException>(() => new BTree().Decode(ByteBuffer.Wrap(prefix)));
                Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(prefix).SkipBean());
            }
        }
    }

    [Fact]
    public void EveryStrictPrefixOfAPrimitiveIsADecodeException()
    {
        var bb = ByteBuffer.Allocate();
        bb.WriteLong(long.MinValue);
        AssertPrefixesThrow(bb.ToArray(), b => b.ReadLong());
        AssertPrefixesThrow(bb.ToArray(), b => b.SkipLong());
        bb.Reset();
        bb.WriteULong(ulong.MaxValue);
        AssertPrefixesThrow(bb.ToArray(), b => b.ReadULong());
        AssertPrefixesThrow(bb.ToArray(), b => b.SkipUInt());
        bb.Reset();
        bb.WriteString("hello, 世界");
        AssertPrefixesThrow(bb.ToArray(), b => b.ReadString());
        AssertPrefixesThrow(bb.ToArray(), b => b.SkipBytes());
        bb.Reset();
        bb.WriteVector4(new Vector4(1, 2, 3, 4));
        AssertPrefixesThrow(bb.ToArray(), b => b.ReadVector4());
        AssertPrefixesThrow(bb.ToArray(), b => b.SkipUnknownField(ByteBuffer.VECTOR4));
        bb.Reset();
        bb.WriteVector3Int(new Vector3Int(int.MinValue, int.MaxValue, -1));
        AssertPrefixesThrow(bb.ToArray(), b => b.ReadVector3Int());
    }

    private static void AssertPrefixesThrow(byte[] bytes, Action<ByteBuffer> read)
    {
        for (int k = 0; k < bytes.Length; k++)
        {
            var prefix = bytes[..k];
            Assert.Throws<DecodeException>(() => read(ByteBuffer.Wrap(prefix)));
        }
    }

    [Fact]
    public void LengthLargerThanTheBufferIsADecodeException()
    {
        // {1:string} whose length says 1000 but only 5 bytes follow.
        byte[] bytes = Hex.Parse("13 83 E8 61 62 63 64 65");
        Assert.Throws<DecodeException>(() => new BBase().Decode(ByteBuffer.Wrap(bytes)));
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(bytes).SkipBean());
        byte[] field = bytes[1..];
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(field).ReadString());
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(field).ReadBytes());
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(field).ReadBinary());
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(field).SkipBytes());
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(field).ReadBytesSpan());
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(field).ReadDecimal());
    }

    [Fact]
    public void LengthPastTwoGigabytesIsADecodeException()
    {
        // ULong lengths that do not fit in an int, including ones that would be negative as an int.
        foreach (string len in new[] { "F0 80 00 00 00", "F0 FF FF FF FF", "FF FF FF FF FF FF FF FF FF", "F8 10 00 00 00 00" })
        {
            byte[] bytes = Hex.Parse(len + " 61 62");
            Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(bytes).ReadBytes());
            Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(bytes).ReadString());
            Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(bytes).SkipBytes());
        }
    }

    public static TheoryData<string> HugeCounts => new()
    {
        "34 F0 F0 FF FF FF F0 00",          // BTree.Children: list of 2^32-ish beans, one byte of data
        "34 F0 EF FF FF FF 00",             // count just below int.MaxValue
        "B4 F1 F0 FF FF FF F0 00 00 00 00", // BTree.Floats: list of float, 4 bytes each
        "45 06 F0 FF FF FF FF 00 00",       // BTree.ByKey: map of 2^32-1 pairs
        "C5 30 FF FF FF FF FF FF FF FF FF", // BTree.Counts: map with a 2^64-1 count
        "73 F0 7F FF FF FF 00",             // BTree.Data: binary of 2^31-1 bytes
        "D4 F0 F8 10 00 00 00 00 01 02",    // BTree.Set: extended list count 2^36, past int.MaxValue
    };

    [Theory]
    [MemberData(nameof(HugeCounts))]
    public void HugeDeclaredCountIsRejectedBeforeAllocating(string hex)
    {
        byte[] bytes = Hex.Parse(hex);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DecodeException>(() => new BTree().Decode(ByteBuffer.Wrap(bytes)));
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(bytes).SkipBean());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 256 * 1024, $"decoding {bytes.Length} bytes allocated {allocated} bytes");
    }

    [Fact]
    public void HugeFieldIdDeltaIsADecodeException()
    {
        // F0 + UInt(2^32-1): the id delta does not fit in an int.
        Assert.Throws<DecodeException>(() => new BTree().Decode(ByteBuffer.Wrap(Hex.Parse("F0 F0 FF FF FF FF 01 00"))));
        Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(Hex.Parse("F0 FF FF FF FF FF FF FF FF FF")).ReadTagSize(0xF0));
    }

    public static TheoryData<string, string> DeepNestings => new()
    {
        { "bean field in bean field (skipped)", "16" },
        { "list of lists (skipped)", "14 14" },
        { "map keyed by maps (skipped)", "15 55 01" },
        { "dynamic in dynamic (skipped)", "17 00" },
        { "BTree children (decoded)", "34 16" },
        { "BTree map values (decoded)", "45 06 01 00" },
        { "BTree dynamic (decoded)", "57 01" },
        { "BTree nested bean then skipped", "F6 00" },
    };

    [Theory]
    [MemberData(nameof(DeepNestings))]
    public void DeepNestingIsADecodeExceptionNotAStackOverflow(string what, string unit)
    {
        byte[] one = Hex.Parse(unit);
        byte[] bytes = new byte[one.Length * 100_000];
        for (int i = 0; i < 100_000; i++) one.CopyTo(bytes, i * one.Length);
        Exception? escaped = null;
        var sw = Stopwatch.StartNew();
        // A thread with a 1 MB stack, the smallest default of the platforms we run on: the depth limit must
        // stop the recursion well before that.
        var thread = new Thread(() =>
        {
            try
            {
                Assert.Throws<DecodeException>(() => new BTree().Decode(ByteBuffer.Wrap(bytes)));
                Assert.Throws<DecodeException>(() => ByteBuffer.Wrap(bytes).SkipBean());
                var field = ByteBuffer.Wrap(bytes);
                Assert.Throws<DecodeException>(() =>
                {
                    int tag = field.ReadByte();
                    field.ReadTagSize(tag);
                    field.SkipUnknownField(tag);
                });
            }
            catch (Exception e)
            {
                escaped = e;
            }
        }, maxStackSize: 1 << 20);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), $"{what}: still decoding after 30 s");
        Assert.Null(escaped);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"{what}: took {sw.Elapsed}");
    }

    [Fact]
    public void NestingUpToTheLimitIsAccepted()
    {
        // A chain of BTree children 200 deep decodes; the limit is not hit by legitimate data of that size.
        var root = new BTree();
        var node = root;
        for (int d = 0; d < 200; d++)
        {
            var child = new BTree { Id = d };
            node.Children.Add(child);
            node = child;
        }
        var back = BeanGenerators.Decode(BeanGenerators.Encode(root), new BTree());
        Assert.Equal(root, back);
    }

    [Fact]
    public void AFailedNestedDecodeDoesNotLeakDepthIntoTheBuffer()
    {
        // Regression: the depth counter was only restored on success, so each failed nested decode left it
        // raised; after enough failures a buffer refused legitimate nesting. One buffer object, reused by
        // moving its indexes (as a receive loop or a table scan does), must recover from any number of failures.
        var deep = new BTree();
        var node = deep;
        for (int d = 0; d < 100; d++)
        {
            var child = new BTree();
            node.Children.Add(child);
            node = child;
        }
        byte[] good = BeanGenerators.Encode(deep);
        byte[] truncated = good[..(good.Length / 2)]; // ends inside the deepest child: fails 100 levels down
        byte[] all = [.. truncated, .. good];
        var bb = ByteBuffer.Wrap(all);
        for (int round = 0; round < 2; round++)
        {
            bb.ReadIndex = 0;
            bb.WriteIndex = truncated.Length;
            Assert.Throws<DecodeException>(() => new BTree().Decode(bb));
        }
        bb.ReadIndex = truncated.Length;
        bb.WriteIndex = all.Length;
        var back = new BTree();
        back.Decode(bb);
        Assert.Equal(deep, back);
    }
}
