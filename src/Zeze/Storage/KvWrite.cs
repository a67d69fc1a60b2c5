namespace Zeze.Storage;

/// <summary>One buffered write of a batch, handed to a backend at commit: a put, or a delete when <see cref="Value"/> is null.</summary>
public readonly record struct KvWrite(KvTable Table, byte[] Key, byte[]? Value)
{
    public bool IsDelete => Value is null;
}
