namespace Zeze.Net;

/// <summary>The low 5 bits of the first field of a protocol payload: what kind of message it is.</summary>
public static class FamilyClass
{
    public const int Response = 0;
    public const int Request = 1;
    public const int Protocol = 2;

    /// <summary>Bit set in the header when a result code follows.</summary>
    public const int BitResultCode = 0x20;
    public const int FamilyMask = 0x1F;
}
