using System.Data.Common;
using MySqlConnector;
using Zeze.Storage.Sql;

namespace Zeze.Storage.MySql;

/// <summary>MySQL and MariaDB (also Galera and TiDB, which speak the same protocol and SQL).</summary>
public sealed class MySqlDialect : SqlDialect
{
    public static MySqlDialect Instance { get; } = new();

    private MySqlDialect() { }

    public override string EngineName => "MySQL";

    /// <summary>InnoDB indexes at most 3072 bytes of a key; VARBINARY(3070) keeps its length prefix inside that.</summary>
    public override int MaxKeyLength => 3070;

    public override int MaxIdentifierLength => 64;

    public override string Quote(string identifier) => $"`{identifier}`";

    public override IReadOnlyList<string> CreateInternalTables { get; } =
    [
        $"CREATE TABLE IF NOT EXISTS `{DataTable}` (id VARBINARY(3070) NOT NULL PRIMARY KEY, data LONGBLOB NOT NULL, version BIGINT NOT NULL) ENGINE=InnoDB",
        $"CREATE TABLE IF NOT EXISTS `{InstancesTable}` (server_id INT NOT NULL PRIMARY KEY, global_name VARCHAR(1024) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        // INSERT IGNORE is safe here: the values are constants; only the duplicate is ignored.
        $"INSERT IGNORE INTO `{InstancesTable}` (server_id, global_name) VALUES ({SentinelServerId}, '')",
    ];

    public override string TableExists =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = @name";

    public override string CreateTable(string quotedTable) =>
        $"CREATE TABLE {quotedTable} (id VARBINARY(3070) NOT NULL PRIMARY KEY, value LONGBLOB NOT NULL) ENGINE=InnoDB";

    public override bool IsAlreadyExists(DbException exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.TableExists };

    // VALUES(value) rather than the row alias of MySQL 8.0.19+: MariaDB has no alias form.
    public override string Upsert(string quotedTable, int rows) =>
        $"INSERT INTO {quotedTable} (id, value) VALUES {ValuesList(rows)} ON DUPLICATE KEY UPDATE value = VALUES(value)";

    public override string InsertData => $"INSERT INTO `{DataTable}` (id, data, version) VALUES (@k, @d, 1)";

    public override string LockInstances => $"SELECT server_id FROM `{InstancesTable}` WHERE server_id = {SentinelServerId} FOR UPDATE";

    public override bool IsDuplicateKey(DbException exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry };

    public override DatabaseErrorKind Classify(Exception exception) => MySqlErrors.Classify(exception);
}
