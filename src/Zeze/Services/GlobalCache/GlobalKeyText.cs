using System.Buffers.Binary;
using System.Text;

namespace Zeze.Services.GlobalCache;

/// <summary>Readable form of a global key for logs and the status: "table:&lt;id&gt; key:&lt;hex&gt;".</summary>
public static class GlobalKeyText
{
    private const int MaxHexBytes = 48;

    public static string Format(ReadOnlySpan<byte> globalKey)
    {
        if (globalKey.Length < 4) return "raw:" + Convert.ToHexString(globalKey);
        var sb = new StringBuilder(24 + Math.Min(globalKey.Length, MaxHexBytes) * 2);
        sb.Append("table:").Append(BinaryPrimitives.ReadInt32LittleEndian(globalKey)).Append(" key:");
        var rest = globalKey[4..];
        sb.Append(Convert.ToHexString(rest.Length > MaxHexBytes ? rest[..MaxHexBytes] : rest));
        if (rest.Length > MaxHexBytes) sb.Append("...(").Append(rest.Length).Append(" bytes)");
        return sb.ToString();
    }

    /// <summary>Builds a global key: the table id as 4 little-endian bytes, then the encoded key.</summary>
    public static byte[] Make(int tableId, ReadOnlySpan<byte> encodedKey)
    {
        var key = new byte[4 + encodedKey.Length];
        BinaryPrimitives.WriteInt32LittleEndian(key, tableId);
        encodedKey.CopyTo(key.AsSpan(4));
        return key;
    }
}
