namespace Zeze.Transaction;

/// <summary>Cache state of a record (shared with the global cache protocol).</summary>
public static class RecordState
{
    /// <summary>No valid cached copy: it must be loaded (or acquired from the global cache manager).</summary>
    public const int Invalid = 0;

    /// <summary>Valid for reading.</summary>
    public const int Share = 1;

    /// <summary>Valid for writing.</summary>
    public const int Modify = 2;

    /// <summary>Evicted from the cache: whoever still holds this record object must look it up again.</summary>
    public const int Removed = 10;
}
