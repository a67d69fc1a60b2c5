using System.Data;
using System.Data.Common;
using System.Text;

namespace Zeze.Storage.Sql;

/// <summary>
/// What differs between SQL engines: identifier quoting, the upsert, limits, and how to read an error. Every
/// statement uses the parameters @k, @v, @k0.., @v0.., @d, @ver, @id, @g, @name; every table is
/// <c>(id binary PRIMARY KEY, value blob NOT NULL)</c>.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The table of versioned data (schemas).</summary>
    public const string DataTable = "_zeze_data_with_version_";

    /// <summary>The table of in-use marks; a sentinel row serialises the servers that mark themselves at once.</summary>
    public const string InstancesTable = "_zeze_instances_";

    /// <summary>The server id of the sentinel row (never a real server id).</summary>
    public const int SentinelServerId = int.MinValue;

    /// <summary>"MySQL", "PostgreSQL", "SQL Server": for messages.</summary>
    public abstract string EngineName { get; }

    public abstract int MaxKeyLength { get; }

    public abstract int MaxIdentifierLength { get; }

    /// <summary>Rows per multi-row upsert or delete (engines cap the number of parameters).</summary>
    public virtual int MaxRowsPerStatement => 500;

    /// <summary>Bytes of keys and values per statement, under the servers' packet limits (one bigger row goes alone).</summary>
    public virtual int MaxBytesPerStatement => 4 << 20;

    public abstract string Quote(string identifier);

    /// <summary>Idempotent statements creating the internal tables and the sentinel row, run at open.</summary>
    public abstract IReadOnlyList<string> CreateInternalTables { get; }

    /// <summary>Counts tables named @name in the schema where a CREATE TABLE would put it.</summary>
    public abstract string TableExists { get; }

    public abstract string CreateTable(string quotedTable);

    /// <summary>True for the error of a CREATE TABLE racing another one that won.</summary>
    public abstract bool IsAlreadyExists(DbException exception);

    public virtual string Find(string quotedTable) => $"SELECT value FROM {quotedTable} WHERE id = @k";

    public virtual string Walk(string quotedTable) => $"SELECT id, value FROM {quotedTable} ORDER BY id";

    /// <summary>Inserts or replaces <paramref name="rows"/> rows (@k0, @v0), (@k1, @v1)...</summary>
    public abstract string Upsert(string quotedTable, int rows);

    public virtual string Delete(string quotedTable, int rows)
    {
        var sql = new StringBuilder($"DELETE FROM {quotedTable} WHERE id IN (");
        for (int i = 0; i < rows; i++)
            sql.Append(i == 0 ? "" : ", ").Append("@k").Append(i);
        return sql.Append(')').ToString();
    }

    public virtual string GetData => $"SELECT data, version FROM {Quote(DataTable)} WHERE id = @k";

    /// <summary>Inserts (@k, @d) with version 1; affects 0 rows or throws a duplicate-key error when the key exists.</summary>
    public abstract string InsertData { get; }

    public virtual string UpdateData => $"UPDATE {Quote(DataTable)} SET data = @d, version = version + 1 WHERE id = @k AND version = @ver";

    /// <summary>Locks the sentinel row until the transaction ends.</summary>
    public abstract string LockInstances { get; }

    public virtual string ListInstances => $"SELECT server_id, global_name FROM {Quote(InstancesTable)} WHERE server_id <> {SentinelServerId}";

    public virtual string InsertInstance => $"INSERT INTO {Quote(InstancesTable)} (server_id, global_name) VALUES (@id, @g)";

    public virtual string DeleteInstance => $"DELETE FROM {Quote(InstancesTable)} WHERE server_id = @id AND server_id <> {SentinelServerId}";

    public abstract bool IsDuplicateKey(DbException exception);

    /// <summary>Transient (retry), Refused (configuration) or Failure, looking through inner exceptions.</summary>
    public abstract DatabaseErrorKind Classify(Exception exception);

    /// <summary>Batches run at read committed: no gap locks between servers writing neighbouring keys.</summary>
    public virtual IsolationLevel BatchIsolation => IsolationLevel.ReadCommitted;

    public virtual void ConfigureKey(DbParameter parameter) => parameter.DbType = DbType.Binary;

    public virtual void ConfigureValue(DbParameter parameter) => parameter.DbType = DbType.Binary;

    /// <summary>"(@k0, @v0), (@k1, @v1)" for multi-row VALUES lists.</summary>
    protected static string ValuesList(int rows)
    {
        var sql = new StringBuilder(rows * 16);
        for (int i = 0; i < rows; i++)
            sql.Append(i == 0 ? "(@k" : ", (@k").Append(i).Append(", @v").Append(i).Append(')');
        return sql.ToString();
    }
}
