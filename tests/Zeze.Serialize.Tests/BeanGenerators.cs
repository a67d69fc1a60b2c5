using CsCheck;
using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>CsCheck generators of random test beans.</summary>
internal static class BeanGenerators
{
    /// <summary>Valid UTF-16 (no lone surrogates), so that a string survives UTF-8 unchanged.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.Char['a', 'z']),
        (2, Gen.Char['\u0080', '\uD7FF']),
        (1, Gen.Char['\uE000', '\uFFFF'])).Array[0, 12].Select(cs => new string(cs));

    public static readonly Gen<Vector3> Vec3 = Gen.Select(PrimitivePropertyTests.AnyFloat, PrimitivePropertyTests.AnyFloat, PrimitivePropertyTests.AnyFloat, (x, y, z) => new Vector3(x, y, z));

    /// <summary>Random trees of <see cref="BTree"/> at most <paramref name="depth"/> levels below the root.</summary>
    public static Gen<BTree> Tree(int depth)
    {
        var sub = depth == 0 ? null : Tree(depth - 1);
        Gen<List<BTree>> children = sub == null ? Gen.Const(() => new List<BTree>()) : sub.List[0, 3];
        Gen<List<(long, BTree)>> byKey = sub == null ? Gen.Const(() => new List<(long, BTree)>()) : Gen.Select(PrimitivePropertyTests.AnyLong, sub).List[0, 2];
        Gen<(long, ISerializable)?> any = sub == null
            ? Gen.OneOf(Gen.Const(static () => ((long, ISerializable)?)null), PrimitivePropertyTests.AnyLong.Select(v => ((long, ISerializable)?)(BTree.TypeIdInner, new BInner(v))))
            : Gen.OneOf(
                Gen.Const(static () => ((long, ISerializable)?)null),
                PrimitivePropertyTests.AnyLong.Select(v => ((long, ISerializable)?)(BTree.TypeIdInner, new BInner(v))),
                sub.Select(t => ((long, ISerializable)?)(BTree.TypeIdTree, t)));
        var scalars = Gen.Select(PrimitivePropertyTests.AnyLong, Text, PrimitivePropertyTests.AnyDouble, Gen.Byte.Array[0, 20], Vec3, Gen.Bool, PrimitivePropertyTests.AnyFloat);
        var collections = Gen.Select(PrimitivePropertyTests.AnyFloat.List[0, 4], Gen.Select(Text, Gen.Int).List[0, 3], PrimitivePropertyTests.AnyLong.List[0, 4]);
        var rest = Gen.Select(Gen.Int.Uniform, Gen.Int.Uniform, PrimitivePropertyTests.AnyLong, Gen.Int[-2, 6]);
        return Gen.Select(children, byKey, any, scalars, collections, rest, (c, bk, a, s, col, r) =>
        {
            var t = new BTree
            {
                Id = s.Item1, Name = s.Item2, Weight = s.Item3, Data = new Binary(s.Item4), Pos = s.Item5, Flag = s.Item6, Ratio = s.Item7,
                Children = c, Floats = col.Item1, Set = [.. col.Item3],
                Cell = new Vector2Int(r.Item1, r.Item2), Inner = new BInner(r.Item3), Level = r.Item4,
            };
            foreach (var (k, v) in bk) t.ByKey[k] = v;
            foreach (var (k, v) in col.Item2) t.Counts[k] = v;
            if (a is { } dyn) t.Any.Set(dyn.Item1, dyn.Item2);
            return t;
        });
    }

    /// <summary>Random <see cref="BV2"/> values: each field is set or left at its natural zero.</summary>
    public static readonly Gen<BV2> V2 = Gen.Select(
        Gen.Select(Gen.Int.Uniform, PrimitivePropertyTests.AnyFloat, Gen.OneOf(Gen.Const(0.0), PrimitivePropertyTests.AnyDouble), Text, Gen.Byte.Array[0, 8], Gen.Int.Uniform.List[0, 20]),
        Gen.Select(Tree(1).List[0, 2], Gen.Select(PrimitivePropertyTests.AnyLong, Text).List[0, 3], Gen.Select(Text, PrimitivePropertyTests.AnyLong).List[0, 3], Tree(1)),
        Gen.Select(Gen.Int[0, 2], PrimitivePropertyTests.AnyFloat.Array[4], Gen.Int.Uniform.Array[3], PrimitivePropertyTests.AnyLong, Gen.OneOf(Gen.Const(0), Gen.Int.Uniform)),
        Gen.Select(Gen.Select(Gen.Int, Vec3).List[0, 3], Gen.Bool, Text.List[0, 17], Gen.Int.Uniform.Array[3].List[0, 3], Text),
        (a, b, c, d) =>
        {
            var v = new BV2
            {
                A = a.Item1, F = a.Item2, D = a.Item3, S = a.Item4, Bin = new Binary(a.Item5), Ints = a.Item6,
                Trees = b.Item1, Tree = b.Item4,
                V2f = new Vector2(c.Item2[0], c.Item2[1]), V2i = new Vector2Int(c.Item3[0], c.Item3[1]),
                V3f = new Vector3(c.Item2[0], c.Item2[1], c.Item2[2]), V3i = new Vector3Int(c.Item3[0], c.Item3[1], c.Item3[2]),
                V4f = new Vector4(c.Item2[0], c.Item2[1], c.Item2[2], c.Item2[3]), L = c.Item4, WithDefault = c.Item5,
                B = d.Item2, Strings = d.Item3, Cells = [.. d.Item4.Select(x => new Vector3Int(x[0], x[1], x[2]))], Last = d.Item5,
            };
            foreach (var (k, s) in b.Item2) v.Names[k] = s;
            foreach (var (k, x) in b.Item3) v.Inners[k] = new BInner(x);
            foreach (var (k, x) in d.Item1) v.VecMap[k] = x;
            if (c.Item1 == 1) v.Dyn.Set(BTree.TypeIdInner, new BInner(c.Item4));
            if (c.Item1 == 2) v.Dyn.Set(BTree.TypeIdTree, new BTree { Id = c.Item4 });
            return v;
        });

    public static byte[] Encode(ISerializable bean)
    {
        var bb = ByteBuffer.Allocate();
        bean.Encode(bb);
        return bb.ToArray();
    }

    public static T Decode<T>(byte[] bytes, T bean) where T : ISerializable
    {
        var bb = ByteBuffer.Wrap(bytes);
        bean.Decode(bb);
        Assert.Equal(0, bb.Size);
        return bean;
    }
}
