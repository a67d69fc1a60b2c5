using System.ComponentModel;
using Zeze.Serialize;

namespace Zeze.Transaction;

/// <summary>Helpers for generated bean keys.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BeanKeys
{
    /// <summary>Reads a bean key (tagged like a bean) into a new instance.</summary>
    public static T Decode<T>(ByteBuffer bb) where T : ISerializable, new()
    {
        var key = new T();
        key.Decode(bb);
        return key;
    }
}
