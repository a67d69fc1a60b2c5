namespace Zeze.Serialize.Tests;

/// <summary>Hex helpers: the spec writes bytes as "10 05 00"; tests compare upper-case hex without spaces.</summary>
internal static class Hex
{
    public static byte[] Parse(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));

    public static string Norm(string spaced) => spaced.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static string Of(ByteBuffer bb) => Convert.ToHexString(bb.Span);

    public static string Encode(ISerializable bean)
    {
        var bb = ByteBuffer.Allocate();
        bean.Encode(bb);
        return Of(bb);
    }

    /// <summary>Decodes <paramref name="spaced"/> into <paramref name="bean"/> and checks that every byte was consumed.</summary>
    public static T Decode<T>(string spaced, T bean) where T : ISerializable
    {
        var bb = ByteBuffer.Wrap(Parse(spaced));
        bean.Decode(bb);
        Assert.Equal(0, bb.Size);
        return bean;
    }
}
