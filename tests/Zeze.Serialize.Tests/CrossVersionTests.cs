using CsCheck;
using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>
/// Schema evolution: data written by a newer bean (<see cref="BV2"/>, more fields of every wire type, big id
/// gaps) read by an older one (<see cref="BV1"/>) and the reverse.
/// </summary>
public class CrossVersionTests
{
    [Fact]
    public void V2RoundTrips() => BeanGenerators.V2.Sample(v2 =>
    {
        byte[] bytes = BeanGenerators.Encode(v2);
        var back = BeanGenerators.Decode(bytes, new BV2());
        Assert.Equal(bytes, BeanGenerators.Encode(back));
        Assert.Equal(v2.WithDefault, back.WithDefault); // 0 stays 0 although the default is 42
        Assert.Equal(v2.D, back.D);
    }, iter: 500);

    [Fact]
    public void V1ReadsItsFieldsFromV2DataAndSkipsTheRest() => BeanGenerators.V2.Sample(v2 =>
    {
        var v1 = BeanGenerators.Decode(BeanGenerators.Encode(v2), new BV1());
        Assert.Equal(v2.A, v1.A);
        Assert.Equal(v2.S, v1.S);
        Assert.Equal(v2.L, v1.L);
        Assert.Equal(v2.B, v1.B);
        Assert.Equal(v2.Last, v1.Last);
        Assert.Equal(0, v1.Legacy); // absent and has a default: natural zero, not 7
    }, iter: 500);

    [Fact]
    public void V2ReadingV1DataGetsNaturalZeroForItsDefaults() =>
        Gen.Select(Gen.Int, BeanGenerators.Text, PrimitivePropertyTests.AnyLong, Gen.Int, Gen.Bool, BeanGenerators.Text).Sample((a, s, l, legacy, b, last) =>
        {
            var v1 = new BV1 { A = a, S = s, L = l, Legacy = legacy, B = b, Last = last };
            var v2 = BeanGenerators.Decode(BeanGenerators.Encode(v1), new BV2());
            Assert.Equal((a, s, l, b, last), (v2.A, v2.S, v2.L, v2.B, v2.Last));
            Assert.Equal(0.0, v2.D);          // default 1.5, absent -> 0
            Assert.Equal(0, v2.WithDefault);  // default 42, absent -> 0
            Assert.Empty(v2.Trees);
            Assert.True(v2.Dyn.IsEmpty);
            Assert.Equal(default, v2.V3f);
        }, iter: 1_000);

    [Fact]
    public void V1DataThroughV2AndBackKeepsV1Fields() =>
        Gen.Select(Gen.Int, BeanGenerators.Text, PrimitivePropertyTests.AnyLong, Gen.Bool, BeanGenerators.Text).Sample((a, s, l, b, last) =>
        {
            var v1 = new BV1 { A = a, S = s, L = l, Legacy = 0, B = b, Last = last };
            var v2 = BeanGenerators.Decode(BeanGenerators.Encode(v1), new BV2());
            // Not byte-identical: V2's nested Tree has a field with a default, so a fresh one is not empty
            // and is written (A8.2). V1 skips it and gets its own fields back.
            var again = BeanGenerators.Decode(BeanGenerators.Encode(v2), new BV1());
            Assert.Equal((a, s, l, b, last, 0), (again.A, again.S, again.L, again.B, again.Last, again.Legacy));
        }, iter: 500);

    [Fact]
    public void FullyPopulatedV2SkipsEveryWireTypeInV1()
    {
        var v2 = new BV2
        {
            A = 1, F = 2.5f, D = 3.5, S = "four", Bin = new Binary([5, 5]), Ints = [6, 66],
            Trees = [new BTree { Id = 7, Children = [new BTree { Name = "x" }] }],
            Tree = new BTree { Counts = { ["k"] = 10 } },
            V2f = new Vector2(12, 12), V2i = new Vector2Int(13, -13), V3f = new Vector3(14, 14, 14),
            V3i = new Vector3Int(15, 15, -15), V4f = new Vector4(16, 16, 16, 16), L = 17, WithDefault = 18,
            B = true, Strings = [.. Enumerable.Range(0, 20).Select(i => $"s{i}")], Cells = [new Vector3Int(1, 2, 3)], Last = "last",
        };
        v2.Names[8] = "eight";
        v2.Inners["nine"] = new BInner(9);
        v2.Dyn.Set(BTree.TypeIdTree, new BTree { Id = 11 });
        v2.VecMap[40] = new Vector3(4, 0, 0);
        var v1 = BeanGenerators.Decode(BeanGenerators.Encode(v2), new BV1());
        Assert.Equal((1, "four", 17L, true, "last", 0), (v1.A, v1.S, v1.L, v1.B, v1.Last, v1.Legacy));
    }
}
