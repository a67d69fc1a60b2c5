namespace Zeze.Serialize;

// Immutable value types for the schema's vector2/3/4, quaternion, vector2int and vector3int.
// They are keyable: equality and ordering compare the components in order.

public readonly record struct Vector2(float X, float Y) : IComparable<Vector2>
{
    public int CompareTo(Vector2 o) { int c = X.CompareTo(o.X); return c != 0 ? c : Y.CompareTo(o.Y); }
    public override string ToString() => $"({X},{Y})";
}

public readonly record struct Vector3(float X, float Y, float Z) : IComparable<Vector3>
{
    public int CompareTo(Vector3 o)
    {
        int c = X.CompareTo(o.X); if (c != 0) return c;
        c = Y.CompareTo(o.Y); return c != 0 ? c : Z.CompareTo(o.Z);
    }
    public override string ToString() => $"({X},{Y},{Z})";
}

public readonly record struct Vector4(float X, float Y, float Z, float W) : IComparable<Vector4>
{
    public int CompareTo(Vector4 o)
    {
        int c = X.CompareTo(o.X); if (c != 0) return c;
        c = Y.CompareTo(o.Y); if (c != 0) return c;
        c = Z.CompareTo(o.Z); return c != 0 ? c : W.CompareTo(o.W);
    }
    public override string ToString() => $"({X},{Y},{Z},{W})";
}

/// <summary>Same wire form as <see cref="Vector4"/> (x, y, z, w).</summary>
public readonly record struct Quaternion(float X, float Y, float Z, float W) : IComparable<Quaternion>
{
    public int CompareTo(Quaternion o) => new Vector4(X, Y, Z, W).CompareTo(new Vector4(o.X, o.Y, o.Z, o.W));
    public override string ToString() => $"({X},{Y},{Z},{W})";
}

public readonly record struct Vector2Int(int X, int Y) : IComparable<Vector2Int>
{
    public int CompareTo(Vector2Int o) { int c = X.CompareTo(o.X); return c != 0 ? c : Y.CompareTo(o.Y); }
    public override string ToString() => $"({X},{Y})";
}

public readonly record struct Vector3Int(int X, int Y, int Z) : IComparable<Vector3Int>
{
    public int CompareTo(Vector3Int o)
    {
        int c = X.CompareTo(o.X); if (c != 0) return c;
        c = Y.CompareTo(o.Y); return c != 0 ? c : Z.CompareTo(o.Z);
    }
    public override string ToString() => $"({X},{Y},{Z})";
}
