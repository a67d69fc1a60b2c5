namespace Zeze.Serialize.Tests.Beans;

/// <summary>
/// The value of a dynamic field (A11): a type id and the bean it names. Type id 0 with an
/// <see cref="EmptyBean"/> is "not set" and is left out of the encoding. <paramref name="factory"/> maps
/// a type id to a new bean, or null for an id this side does not know.
/// </summary>
public sealed class DynamicValue(Func<long, ISerializable?> factory)
{
    public long TypeId { get; private set; }
    public ISerializable Bean { get; private set; } = new EmptyBean();

    public bool IsEmpty => TypeId == 0 && Bean is EmptyBean;

    public void Set(long typeId, ISerializable bean)
    {
        TypeId = typeId;
        Bean = bean;
    }

    public void Clear() => Set(0, new EmptyBean());

    /// <summary>Writes the payload: the type id as a signed compact integer, then the bean.</summary>
    public void Encode(ByteBuffer bb)
    {
        bb.WriteLong(TypeId);
        Bean.Encode(bb);
    }

    /// <summary>Reads a DYNAMIC payload, or a plain BEAN as type id 0 (A13).</summary>
    public void Decode(ByteBuffer bb, int tag)
    {
        switch (tag & 0xF)
        {
            case ByteBuffer.DYNAMIC:
            {
                long typeId = bb.ReadLong();
                var bean = factory(typeId);
                if (bean == null)
                {
                    bb.SkipBean(); // unknown type: not an error, the value becomes empty
                    Clear();
                    return;
                }
                Set(typeId, bb.ReadBean(bean, ByteBuffer.BEAN));
                return;
            }
            case ByteBuffer.BEAN:
            {
                var bean = factory(0) ?? throw new DecodeException("a bean cannot be read as this dynamic field: no bean for type id 0");
                Set(0, bb.ReadBean(bean, tag));
                return;
            }
            default:
                bb.ThrowIncompatible(tag, "dynamic");
                return;
        }
    }
}
