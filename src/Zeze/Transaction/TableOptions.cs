namespace Zeze.Transaction;

/// <summary>Per-table settings (configuration section <c>Zeze:Tables:&lt;name&gt;</c>, or the defaults).</summary>
public sealed class TableOptions
{
    /// <summary>Records kept in the cache before the cleaner evicts clean, idle ones. 0 or less: unlimited.</summary>
    public int CacheCapacity { get; set; } = 20000;

    /// <summary>How often the cache cleaner runs.</summary>
    public TimeSpan CacheCleanPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Flush this table's changes before the committing procedure returns (durable on return).</summary>
    public bool CheckpointWhenCommit { get; set; }

    /// <summary>The database (by name) the table lives in; "" is the default database.</summary>
    public string DatabaseName { get; set; } = "";

    public TableOptions Clone() => (TableOptions)MemberwiseClone();
}
