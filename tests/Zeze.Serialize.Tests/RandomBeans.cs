using Zeze.Serialize.Tests.Beans;

namespace Zeze.Serialize.Tests;

/// <summary>Random beans from a seeded <see cref="Random"/>, for the fuzz corpus (reproducible from the seed).</summary>
internal static class RandomBeans
{
    public static BTree Tree(Random r, int depth)
    {
        var t = new BTree();
        if (r.Next(2) == 0) t.Id = Long(r);
        if (r.Next(2) == 0) t.Name = Text(r);
        if (depth > 0)
        {
            for (int n = r.Next(4); n > 0; n--) t.Children.Add(Tree(r, depth - 1));
            for (int n = r.Next(3); n > 0; n--) t.ByKey[Long(r)] = Tree(r, depth - 1);
            if (r.Next(3) == 0) t.Any.Set(BTree.TypeIdTree, Tree(r, depth - 1));
        }
        if (r.Next(4) == 0) t.Any.Set(BTree.TypeIdInner, new BInner(Long(r)));
        if (r.Next(2) == 0) t.Weight = BitConverter.Int64BitsToDouble(r.NextInt64(long.MinValue, long.MaxValue));
        if (r.Next(2) == 0) t.Data = new Binary(Bytes(r, r.Next(20)));
        if (r.Next(3) == 0) t.Pos = new Vector3(r.NextSingle(), -r.NextSingle(), r.Next(5));
        t.Flag = r.Next(2) == 0;
        if (r.Next(2) == 0) t.Ratio = r.NextSingle() * 100;
        for (int n = r.Next(4); n > 0; n--) t.Floats.Add(BitConverter.Int32BitsToSingle(r.Next(int.MinValue, int.MaxValue)));
        for (int n = r.Next(3); n > 0; n--) t.Counts[Text(r)] = r.Next(int.MinValue, int.MaxValue);
        for (int n = r.Next(4); n > 0; n--) t.Set.Add(Long(r));
        if (r.Next(3) == 0) t.Cell = new Vector2Int(r.Next(int.MinValue, int.MaxValue), r.Next(-5, 5));
        if (r.Next(3) == 0) t.Inner = new BInner(Long(r));
        t.Level = r.Next(-2, 7);
        return t;
    }

    public static BV2 V2(Random r)
    {
        var v = new BV2
        {
            A = r.Next(3) == 0 ? 0 : r.Next(int.MinValue, int.MaxValue), F = r.NextSingle(), D = r.Next(3) == 0 ? 0 : r.NextDouble(),
            S = Text(r), Bin = new Binary(Bytes(r, r.Next(10))), Tree = Tree(r, 1),
            V2f = new Vector2(r.NextSingle(), 1), V2i = new Vector2Int(r.Next(), -r.Next()), V3f = new Vector3(1, r.NextSingle(), 2),
            V3i = new Vector3Int(r.Next(), 0, -1), V4f = new Vector4(0, 0, 0, r.Next(3)), L = Long(r), WithDefault = r.Next(-1, 50),
            B = r.Next(2) == 0, Last = Text(r),
        };
        for (int n = r.Next(20); n > 0; n--) v.Ints.Add(r.Next(int.MinValue, int.MaxValue));
        for (int n = r.Next(3); n > 0; n--) v.Trees.Add(Tree(r, 1));
        for (int n = r.Next(3); n > 0; n--) v.Names[Long(r)] = Text(r);
        for (int n = r.Next(3); n > 0; n--) v.Inners[Text(r)] = new BInner(Long(r));
        if (r.Next(2) == 0) v.Dyn.Set(BTree.TypeIdTree, Tree(r, 1));
        for (int n = r.Next(3); n > 0; n--) v.VecMap[r.Next()] = new Vector3(r.NextSingle(), 0, 1);
        for (int n = r.Next(18); n > 0; n--) v.Strings.Add(Text(r));
        for (int n = r.Next(3); n > 0; n--) v.Cells.Add(new Vector3Int(r.Next(), r.Next(), r.Next()));
        return v;
    }

    /// <summary>A long from a random length class, so that every compact integer length appears.</summary>
    public static long Long(Random r)
    {
        long x = r.NextInt64(long.MinValue, long.MaxValue) >> r.Next(64);
        return r.Next(2) == 0 ? x : -x;
    }

    public static string Text(Random r)
    {
        var cs = new char[r.Next(12)];
        for (int i = 0; i < cs.Length; i++)
            cs[i] = r.Next(4) == 0 ? (char)r.Next(0x80, 0xD800) : (char)r.Next('a', 'z' + 1);
        return new string(cs);
    }

    public static byte[] Bytes(Random r, int n)
    {
        var b = new byte[n];
        r.NextBytes(b);
        return b;
    }
}
