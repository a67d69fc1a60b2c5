using RocksDbSharp;

namespace Zeze.Storage.RocksDb;

/// <summary>
/// The engine options, in one place because each is a durability or resource decision:
/// <list type="bullet">
/// <item>The write-ahead log stays on (RocksDB's default): a batch is in the log before <c>Write</c> returns, so a
/// killed process loses no committed batch. <see cref="DatabaseOptions.SyncWrites"/> adds an fsync per batch so a
/// power loss loses none either.</item>
/// <item>Point-in-time WAL recovery: after a crash, replay stops at the first damaged record (a torn tail), keeping
/// every batch before it whole: never half a batch.</item>
/// <item>One memtable budget for all column families, so a database with hundreds of tables stays bounded.</item>
/// </list>
/// </summary>
internal static class RocksDbSettings
{
    /// <summary>The column family of versioned data (schemas); its name cannot clash with a table (reserved prefix).</summary>
    public const string DataFamily = "_zeze_data_with_version_";

    public static DbOptions CreateDbOptions() =>
        new DbOptions()
            .SetCreateIfMissing(true)
            .SetCreateMissingColumnFamilies(true)
            .SetParanoidChecks(true)
            .SetWalRecoveryMode(Recovery.PointInTime)
            .SetDbWriteBufferSize(256UL << 20)
            .SetMaxBackgroundCompactions(2)
            .SetMaxBackgroundFlushes(1)
            .SetKeepLogFileNum(4)
            .SetMaxLogFileSize(16UL << 20);

    public static ColumnFamilyOptions CreateColumnFamilyOptions() =>
        new ColumnFamilyOptions()
            .SetWriteBufferSize(32UL << 20)
            .SetLevelCompactionDynamicLevelBytes(true);

    public static WriteOptions CreateWriteOptions(bool sync) => new WriteOptions().SetSync(sync);
}
