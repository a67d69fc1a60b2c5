namespace Zeze.Services.GlobalCache;

/// <summary>
/// Which GCM instance owns a global key (global-and-raft.md A13). We fix what Zeze left ambiguous: bytes are
/// unsigned, the arithmetic is unsigned 32-bit, and the remainder is unsigned, so every language that follows
/// this gets the same index (Zeze's Java sign-extends bytes, its C# used a signed remainder).
/// </summary>
public static class GlobalKeyHash
{
    private const uint Prime = 16777619;

    /// <summary><c>h = 0; for each byte b: h = (h * 16777619) XOR b</c>, in unsigned 32-bit arithmetic.</summary>
    public static uint Hash(ReadOnlySpan<byte> globalKey)
    {
        uint h = 0;
        foreach (byte b in globalKey) h = unchecked(h * Prime) ^ b;
        return h;
    }

    /// <summary>The instance index of <paramref name="globalKey"/> among <paramref name="instanceCount"/> instances.</summary>
    public static int InstanceIndex(ReadOnlySpan<byte> globalKey, int instanceCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(instanceCount);
        return instanceCount == 1 ? 0 : (int)(Hash(globalKey) % (uint)instanceCount);
    }
}
