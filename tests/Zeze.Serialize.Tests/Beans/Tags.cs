namespace Zeze.Serialize.Tests.Beans;

/// <summary>
/// The two steps of the decode loop of wire-and-schema.md A12, shared by the hand-written test beans so
/// that each Decode reads like generated code: <c>if (Tags.At(bb, ref t, ref i, id)) { read; Tags.Next(...) }</c>.
/// </summary>
internal static class Tags
{
    /// <summary>
    /// Skips unknown fields (ids below <paramref name="id"/>) and tells whether the current field is
    /// <paramref name="id"/>. <paramref name="t"/> is the current tag byte, <paramref name="i"/> its field id.
    /// </summary>
    public static bool At(ByteBuffer bb, ref int t, ref int i, int id)
    {
        while (t > ByteBuffer.BASE && i < id)
        {
            bb.SkipUnknownField(t);
            i += bb.ReadTagSize(t = bb.ReadByte());
        }
        return i == id && t > ByteBuffer.BASE;
    }

    /// <summary>Reads the next tag after a field has been read.</summary>
    public static void Next(ByteBuffer bb, ref int t, ref int i) => i += bb.ReadTagSize(t = bb.ReadByte());

    /// <summary>Starts decoding a bean: reads the first tag.</summary>
    public static void First(ByteBuffer bb, out int t, out int i)
    {
        t = bb.ReadByte();
        i = bb.ReadTagSize(t);
    }
}
