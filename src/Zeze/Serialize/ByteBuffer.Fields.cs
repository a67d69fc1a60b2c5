using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Zeze.Serialize;

// Tagged bean fields: tag bytes with id deltas, collection headers, skipping unknown fields and the
// type-compatible reads (an int field accepts a float on the wire, a list accepts a set, ...).
public sealed partial class ByteBuffer
{
    public const int INTEGER = 0;
    public const int FLOAT = 1;
    public const int DOUBLE = 2;
    public const int BYTES = 3;
    public const int LIST = 4;
    public const int MAP = 5;
    public const int BEAN = 6;
    public const int DYNAMIC = 7;
    public const int VECTOR2 = 8;
    public const int VECTOR2INT = 9;
    public const int VECTOR3 = 10;
    public const int VECTOR3INT = 11;
    public const int VECTOR4 = 12;

    /// <summary>Tag byte that ends a bean.</summary>
    public const int END = 0;

    /// <summary>Tag byte between a derived bean's fields and its base bean's fields.</summary>
    public const int BASE = 1;

    /// <summary>
    /// Writes the tag of field <paramref name="varId"/> following field <paramref name="lastVarId"/>
    /// and returns <paramref name="varId"/> (the next call's <paramref name="lastVarId"/>).
    /// </summary>
    /// <remarks>Every field goes through here: the one-byte case is small enough to inline.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int WriteTag(int lastVarId, int varId, int type)
    {
        int delta = varId - lastVarId;
        if (delta < 15)
            WriteByte((byte)((delta << 4) | type));
        else
            WriteLongTag(delta, type);
        return varId;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteLongTag(int delta, int type)
    {
        WriteByte((byte)(0xF0 | type));
        WriteUInt(delta - 15);
    }

    /// <summary>The id delta carried by tag byte <paramref name="tag"/> (reads the extension when it is 15).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadTagSize(int tag)
    {
        int d = (tag & 0xF0) >> 4;
        return d < 15 ? d : ReadTagExtension();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadTagExtension()
    {
        ulong ext = ReadULong();
        if (ext > int.MaxValue - 15)
            throw new DecodeException($"field id delta or list count {ext + 15} is too large at offset {ReadIndex}");
        return 15 + (int)ext;
    }

    // ---- collection headers ----

    /// <summary>The header of a list, set or array field: element count and element type.</summary>
    public void WriteListType(int count, int elementType)
    {
        if (count < 15)
        {
            WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | elementType));
            WriteUInt(count - 15);
        }
    }

    /// <summary>The header of a map field: key and value types, then the pair count.</summary>
    public void WriteMapType(int count, int keyType, int valueType)
    {
        WriteByte((byte)((keyType << 4) | valueType));
        WriteUInt(count);
    }

    /// <summary>
    /// Reads a list header for a field whose tag is <paramref name="tag"/> and returns the element count,
    /// bounded by the unread bytes. <paramref name="elementTag"/> is what element readers take as tag.
    /// </summary>
    public int ReadListHeader(int tag, out int elementTag)
    {
        if ((tag & 0xF) != LIST) ThrowIncompatible(tag, "list/set/array");
        int h = ReadByte();
        int n = ReadTagSize(h);
        elementTag = h & 0xF;
        CheckListCount(n, elementTag);
        return n;
    }

    /// <summary>Reads a map header and returns the pair count, bounded by the unread bytes.</summary>
    public int ReadMapHeader(int tag, out int keyTag, out int valueTag)
    {
        if ((tag & 0xF) != MAP) ThrowIncompatible(tag, "map");
        int h = ReadByte();
        keyTag = h >> 4;
        valueTag = h & 0xF;
        return ReadCount(MinItemSize(keyTag) + MinItemSize(valueTag));
    }

    /// <summary>Every element takes at least <see cref="MinItemSize"/> bytes: a larger count is a lie.</summary>
    private void CheckListCount(int n, int elementType)
    {
        if (n * (long)MinItemSize(elementType) > WriteIndex - ReadIndex)
            throw new DecodeException($"list of {n} elements of type {TypeName(elementType & 0xF)} at offset {ReadIndex} is larger than the remaining {WriteIndex - ReadIndex} bytes");
    }

    private static int MinItemSize(int type) => (type & 0xF) switch
    {
        FLOAT => 4,
        DOUBLE or VECTOR2 => 8,
        VECTOR3 => 12,
        VECTOR4 => 16,
        VECTOR2INT => 2,
        VECTOR3INT => 3,
        DYNAMIC => 2,
        _ => 1,
    };

    // ---- skipping ----

    /// <summary>Skips the payload of a field whose tag byte is <paramref name="tag"/>.</summary>
    public void SkipUnknownField(int tag)
    {
        switch (tag & 0xF)
        {
            case INTEGER: SkipLong(); return;
            case FLOAT:
                if (tag == BASE) return; // the base-class separator carries no payload
                Skip(4); return;
            case DOUBLE: case VECTOR2: Skip(8); return;
            case VECTOR3: Skip(12); return;
            case VECTOR4: Skip(16); return;
            case VECTOR2INT: SkipLong(); SkipLong(); return;
            case VECTOR3INT: SkipLong(); SkipLong(); SkipLong(); return;
            case BYTES: SkipBytes(); return;
            case LIST:
            {
                int h = ReadByte();
                int n = ReadTagSize(h);
                CheckListCount(n, h);
                EnterNested();
                try
                {
                    for (int i = 0; i < n; i++)
                        SkipUnknownField(h);
                }
                finally
                {
                    LeaveNested();
                }
                return;
            }
            case MAP:
            {
                int h = ReadByte();
                int n = ReadCount(MinItemSize(h >> 4) + MinItemSize(h));
                EnterNested();
                try
                {
                    for (int i = 0; i < n; i++)
                    {
                        SkipUnknownField((h >> 4) | 0x10);
                        SkipUnknownField(h | 0x10);
                    }
                }
                finally
                {
                    LeaveNested();
                }
                return;
            }
            case DYNAMIC:
                SkipLong();
                SkipBean();
                return;
            case BEAN:
                SkipBean();
                return;
            default:
                throw new DecodeException($"unknown field type {tag & 0xF} (tag 0x{tag:X2}) at offset {ReadIndex}");
        }
    }

    /// <summary>Skips one whole bean, including any base-class part, up to and including its final 00.</summary>
    public void SkipBean()
    {
        EnterNested();
        try
        {
            for (int t; (t = ReadByte()) != END;)
            {
                if ((t & 0xF0) == 0xF0) SkipUInt();
                SkipUnknownField(t);
            }
        }
        finally
        {
            LeaveNested();
        }
    }

    /// <summary>
    /// Skips the rest of a bean after its known fields: <paramref name="tag"/> is the tag already read.
    /// Returns normally at the bean's final 00.
    /// </summary>
    public void SkipAllUnknownFields(int tag)
    {
        while (tag != END)
        {
            SkipUnknownField(tag);
            ReadTagSize(tag = ReadByte());
        }
    }

    [DoesNotReturn]
    public void ThrowIncompatible(int tag, string expected) =>
        throw new DecodeException($"field of wire type {TypeName(tag & 0xF)} cannot be read as {expected} (offset {ReadIndex})");

    private static string TypeName(int type) => type switch
    {
        INTEGER => "integer", FLOAT => "float", DOUBLE => "double", BYTES => "bytes", LIST => "list",
        MAP => "map", BEAN => "bean", DYNAMIC => "dynamic", VECTOR2 => "vector2", VECTOR2INT => "vector2int",
        VECTOR3 => "vector3", VECTOR3INT => "vector3int", VECTOR4 => "vector4", _ => $"#{type}",
    };

    // ---- type-compatible reads (wire-and-schema.md A13) ----

    public bool ReadBool(int tag) => (tag & 0xF) switch
    {
        INTEGER => ReadLong() != 0,
        FLOAT => ReadFloat() != 0,
        DOUBLE => ReadDouble() != 0,
        _ => ThrowIncompatibleValue<bool>(tag, "bool"),
    };

    public byte ReadByte(int tag) => (byte)ReadLong(tag);

    public short ReadShort(int tag) => (short)ReadLong(tag);

    public int ReadInt(int tag) => (int)ReadLong(tag);

    public long ReadLong(int tag) => (tag & 0xF) switch
    {
        INTEGER => ReadLong(),
        FLOAT => (long)ReadFloat(),
        DOUBLE => (long)ReadDouble(),
        _ => ThrowIncompatibleValue<long>(tag, "integer"),
    };

    public float ReadFloat(int tag) => (tag & 0xF) switch
    {
        FLOAT => ReadFloat(),
        DOUBLE => (float)ReadDouble(),
        INTEGER => ReadLong(),
        _ => ThrowIncompatibleValue<float>(tag, "float"),
    };

    public double ReadDouble(int tag) => (tag & 0xF) switch
    {
        DOUBLE => ReadDouble(),
        FLOAT => ReadFloat(),
        INTEGER => ReadLong(),
        _ => ThrowIncompatibleValue<double>(tag, "double"),
    };

    public string ReadString(int tag)
    {
        if ((tag & 0xF) != BYTES) ThrowIncompatible(tag, "string");
        return ReadString();
    }

    public Binary ReadBinary(int tag)
    {
        if ((tag & 0xF) != BYTES) ThrowIncompatible(tag, "binary");
        return ReadBinary();
    }

    public byte[] ReadBytes(int tag)
    {
        if ((tag & 0xF) != BYTES) ThrowIncompatible(tag, "bytes");
        return ReadBytes();
    }

    public decimal ReadDecimal(int tag)
    {
        if ((tag & 0xF) != BYTES) ThrowIncompatible(tag, "decimal");
        return ReadDecimal();
    }

    /// <summary>Decodes a nested bean field; a dynamic value on the wire is accepted (its type id is skipped).</summary>
    public T ReadBean<T>(T bean, int tag) where T : ISerializable
    {
        int type = tag & 0xF;
        if (type == DYNAMIC) SkipLong();
        else if (type != BEAN) ThrowIncompatible(tag, "bean");
        EnterNested();
        try
        {
            bean.Decode(this);
        }
        finally
        {
            LeaveNested();
        }
        return bean;
    }

    /// <summary>Encodes a bean element (in a list or map): always written, even when it is all defaults.</summary>
    public void WriteBean<T>(T bean) where T : ISerializable => bean.Encode(this);

    /// <summary>
    /// Writes bean field <paramref name="varId"/> unless its encoding is the empty bean (a single 00).
    /// Returns the id to pass as the next field's <c>lastVarId</c>.
    /// </summary>
    public int WriteBeanField<T>(int lastVarId, int varId, T bean) where T : ISerializable
    {
        int start = WriteIndex;
        WriteTag(lastVarId, varId, BEAN);
        int body = WriteIndex;
        bean.Encode(this);
        if (WriteIndex == body + 1)
        {
            WriteIndex = start; // only the END byte: leave the field out
            return lastVarId;
        }
        return varId;
    }

    // ---- vectors ----

    public void WriteVector2(Vector2 v) { WriteFloat(v.X); WriteFloat(v.Y); }
    public void WriteVector3(Vector3 v) { WriteFloat(v.X); WriteFloat(v.Y); WriteFloat(v.Z); }
    public void WriteVector4(Vector4 v) { WriteFloat(v.X); WriteFloat(v.Y); WriteFloat(v.Z); WriteFloat(v.W); }
    public void WriteQuaternion(Quaternion v) { WriteFloat(v.X); WriteFloat(v.Y); WriteFloat(v.Z); WriteFloat(v.W); }
    public void WriteVector2Int(Vector2Int v) { WriteLong(v.X); WriteLong(v.Y); }
    public void WriteVector3Int(Vector3Int v) { WriteLong(v.X); WriteLong(v.Y); WriteLong(v.Z); }

    public Vector2 ReadVector2() => new(ReadFloat(), ReadFloat());
    public Vector3 ReadVector3() => new(ReadFloat(), ReadFloat(), ReadFloat());
    public Vector4 ReadVector4() => new(ReadFloat(), ReadFloat(), ReadFloat(), ReadFloat());
    public Quaternion ReadQuaternion() => new(ReadFloat(), ReadFloat(), ReadFloat(), ReadFloat());
    public Vector2Int ReadVector2Int() => new(ReadInt(), ReadInt());
    public Vector3Int ReadVector3Int() => new(ReadInt(), ReadInt(), ReadInt());

    /// <summary>Reads any vector or number on the wire as four float components (missing ones are 0).</summary>
    private Vector4 ReadAnyVector(int tag, string expected)
    {
        switch (tag & 0xF)
        {
            case VECTOR2: return new(ReadFloat(), ReadFloat(), 0, 0);
            case VECTOR3: return new(ReadFloat(), ReadFloat(), ReadFloat(), 0);
            case VECTOR4: return new(ReadFloat(), ReadFloat(), ReadFloat(), ReadFloat());
            case VECTOR2INT: return new(ReadLong(), ReadLong(), 0, 0);
            case VECTOR3INT: return new(ReadLong(), ReadLong(), ReadLong(), 0);
            case FLOAT: return new(ReadFloat(), 0, 0, 0);
            case DOUBLE: return new((float)ReadDouble(), 0, 0, 0);
            case INTEGER: return new(ReadLong(), 0, 0, 0);
            default: ThrowIncompatible(tag, expected); return default;
        }
    }

    /// <summary>Reads any vector or number as four int components; integer vectors keep their exact values.</summary>
    private (int X, int Y, int Z) ReadAnyIntVector(int tag, string expected)
    {
        switch (tag & 0xF)
        {
            case VECTOR2INT: return (ReadInt(), ReadInt(), 0);
            case VECTOR3INT: return (ReadInt(), ReadInt(), ReadInt());
            case INTEGER: return (ReadInt(), 0, 0);
            default:
                var v = ReadAnyVector(tag, expected);
                return ((int)v.X, (int)v.Y, (int)v.Z);
        }
    }

    public Vector2 ReadVector2(int tag)
    {
        if ((tag & 0xF) == VECTOR2) return ReadVector2();
        var v = ReadAnyVector(tag, "vector2");
        return new(v.X, v.Y);
    }

    public Vector3 ReadVector3(int tag)
    {
        if ((tag & 0xF) == VECTOR3) return ReadVector3();
        var v = ReadAnyVector(tag, "vector3");
        return new(v.X, v.Y, v.Z);
    }

    public Vector4 ReadVector4(int tag) => (tag & 0xF) == VECTOR4 ? ReadVector4() : ReadAnyVector(tag, "vector4");

    public Quaternion ReadQuaternion(int tag)
    {
        var v = (tag & 0xF) == VECTOR4 ? ReadVector4() : ReadAnyVector(tag, "quaternion");
        return new(v.X, v.Y, v.Z, v.W);
    }

    public Vector2Int ReadVector2Int(int tag)
    {
        if ((tag & 0xF) == VECTOR2INT) return ReadVector2Int();
        var v = ReadAnyIntVector(tag, "vector2int");
        return new(v.X, v.Y);
    }

    public Vector3Int ReadVector3Int(int tag)
    {
        if ((tag & 0xF) == VECTOR3INT) return ReadVector3Int();
        var v = ReadAnyIntVector(tag, "vector3int");
        return new(v.X, v.Y, v.Z);
    }

    [DoesNotReturn]
    private T ThrowIncompatibleValue<T>(int tag, string expected)
    {
        ThrowIncompatible(tag, expected);
        return default;
    }
}
