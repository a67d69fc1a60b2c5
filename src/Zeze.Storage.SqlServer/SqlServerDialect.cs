using System.Data.Common;
using System.Text;
using Microsoft.Data.SqlClient;
using Zeze.Storage.Sql;

namespace Zeze.Storage.SqlServer;

/// <summary>
/// SQL Server. It compares varbinary values as if the shorter were padded with zero bytes, so 0x01 = 0x0100: a key
/// table therefore keys on (id, klen), klen being the computed byte length, which keeps distinct keys distinct and,
/// ordered by (id, klen), gives plain byte order.
/// </summary>
public sealed class SqlServerDialect : SqlDialect
{
    public static SqlServerDialect Instance { get; } = new();

    private SqlServerDialect() { }

    public override string EngineName => "SQL Server";

    /// <summary>A clustered index key holds 900 bytes: 896 of key and 4 of klen.</summary>
    public override int MaxKeyLength => 896;

    public override int MaxIdentifierLength => 128;

    // 2 parameters a row, under the 2100 a statement takes.
    public override int MaxRowsPerStatement => 500;

    public override string Quote(string identifier) => $"[{identifier}]";

    private const string KeyColumns = "id VARBINARY(896) NOT NULL, klen AS CAST(DATALENGTH(id) AS INT) PERSISTED NOT NULL";

    public override IReadOnlyList<string> CreateInternalTables { get; } =
    [
        $"IF OBJECT_ID(N'[{DataTable}]', N'U') IS NULL CREATE TABLE [{DataTable}] ({KeyColumns}, data VARBINARY(MAX) NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (id, klen))",
        $"IF OBJECT_ID(N'[{InstancesTable}]', N'U') IS NULL CREATE TABLE [{InstancesTable}] (server_id INT NOT NULL PRIMARY KEY, global_name NVARCHAR(1024) NOT NULL)",
        $"IF NOT EXISTS (SELECT 1 FROM [{InstancesTable}] WHERE server_id = {SentinelServerId}) INSERT INTO [{InstancesTable}] (server_id, global_name) VALUES ({SentinelServerId}, N'')",
    ];

    public override string TableExists => "SELECT COUNT(*) FROM sys.tables WHERE name = @name AND schema_id = SCHEMA_ID()";

    public override string CreateTable(string quotedTable) =>
        $"CREATE TABLE {quotedTable} ({KeyColumns}, value VARBINARY(MAX) NOT NULL, PRIMARY KEY (id, klen))";

    public override bool IsAlreadyExists(DbException exception) => exception is SqlException { Number: 2714 };

    public override string Find(string quotedTable) => $"SELECT value FROM {quotedTable} WHERE id = @k AND klen = DATALENGTH(@k)";

    public override string Walk(string quotedTable) => $"SELECT id, value FROM {quotedTable} ORDER BY id, klen";

    // HOLDLOCK: without it two MERGEs of the same new key can both decide to insert.
    public override string Upsert(string quotedTable, int rows) =>
        $"MERGE INTO {quotedTable} WITH (HOLDLOCK) AS target USING (VALUES {ValuesList(rows)}) AS source (id, value) " +
        "ON target.id = source.id AND target.klen = DATALENGTH(source.id) " +
        "WHEN MATCHED THEN UPDATE SET value = source.value " +
        "WHEN NOT MATCHED THEN INSERT (id, value) VALUES (source.id, source.value);";

    public override string Delete(string quotedTable, int rows)
    {
        var keys = new StringBuilder();
        for (int i = 0; i < rows; i++)
            keys.Append(i == 0 ? "(@k" : ", (@k").Append(i).Append(')');
        return $"DELETE target FROM {quotedTable} AS target JOIN (VALUES {keys}) AS source (id) " +
               "ON target.id = source.id AND target.klen = DATALENGTH(source.id)";
    }

    public override string GetData => $"SELECT data, version FROM [{DataTable}] WHERE id = @k AND klen = DATALENGTH(@k)";

    public override string InsertData =>
        $"INSERT INTO [{DataTable}] (id, data, version) SELECT @k, @d, 1 WHERE NOT EXISTS " +
        $"(SELECT 1 FROM [{DataTable}] WITH (UPDLOCK, HOLDLOCK) WHERE id = @k AND klen = DATALENGTH(@k))";

    public override string UpdateData =>
        $"UPDATE [{DataTable}] SET data = @d, version = version + 1 WHERE id = @k AND klen = DATALENGTH(@k) AND version = @ver";

    public override string LockInstances =>
        $"SELECT server_id FROM [{InstancesTable}] WITH (UPDLOCK, HOLDLOCK) WHERE server_id = {SentinelServerId}";

    public override bool IsDuplicateKey(DbException exception) => exception is SqlException { Number: 2627 or 2601 };

    public override DatabaseErrorKind Classify(Exception exception) => SqlServerErrors.Classify(exception);

    // Fixed sizes keep one cached plan per statement shape instead of one per value length.
    public override void ConfigureKey(DbParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        base.ConfigureKey(parameter);
        parameter.Size = 896;
    }

    public override void ConfigureValue(DbParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        base.ConfigureValue(parameter);
        parameter.Size = -1;
    }
}
