namespace Zeze.Serialize;

/// <summary>Something that writes itself in Zeze's wire format and reads itself back.</summary>
public interface ISerializable
{
    void Encode(ByteBuffer bb);
    void Decode(ByteBuffer bb);
}
