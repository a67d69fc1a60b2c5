using System.Data.Common;
using Npgsql;
using Zeze.Storage.Sql;

namespace Zeze.Storage.Postgres;

/// <summary>PostgreSQL (and engines speaking its protocol and SQL, such as CockroachDB).</summary>
public sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    private PostgresDialect() { }

    public override string EngineName => "PostgreSQL";

    /// <summary>
    /// A B-tree entry holds at most 2704 bytes (a third of a page, less headers); a key is stored with an 8-byte
    /// tuple header and a 4-byte length, so 2692 bytes of incompressible key fit (measured on PostgreSQL 15).
    /// </summary>
    public override int MaxKeyLength => 2692;

    /// <summary>PostgreSQL silently truncates longer names (NAMEDATALEN - 1), so they are refused instead.</summary>
    public override int MaxIdentifierLength => 63;

    public override string Quote(string identifier) => $"\"{identifier}\"";

    public override IReadOnlyList<string> CreateInternalTables { get; } =
    [
        $"CREATE TABLE IF NOT EXISTS \"{DataTable}\" (id bytea PRIMARY KEY, data bytea NOT NULL, version bigint NOT NULL)",
        $"CREATE TABLE IF NOT EXISTS \"{InstancesTable}\" (server_id integer PRIMARY KEY, global_name text NOT NULL)",
        $"INSERT INTO \"{InstancesTable}\" (server_id, global_name) VALUES ({SentinelServerId}, '') ON CONFLICT (server_id) DO NOTHING",
    ];

    // current_schema() is where an unqualified CREATE TABLE goes (the first schema of the search path).
    public override string TableExists =>
        "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = @name";

    public override string CreateTable(string quotedTable) =>
        $"CREATE TABLE {quotedTable} (id bytea PRIMARY KEY, value bytea NOT NULL)";

    // 23505: two sessions creating the same table at once collide on the catalog's unique index instead.
    public override bool IsAlreadyExists(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation };

    public override string Upsert(string quotedTable, int rows) =>
        $"INSERT INTO {quotedTable} (id, value) VALUES {ValuesList(rows)} ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value";

    public override string InsertData =>
        $"INSERT INTO \"{DataTable}\" (id, data, version) VALUES (@k, @d, 1) ON CONFLICT (id) DO NOTHING";

    public override string LockInstances =>
        $"SELECT server_id FROM \"{InstancesTable}\" WHERE server_id = {SentinelServerId} FOR UPDATE";

    public override bool IsDuplicateKey(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override DatabaseErrorKind Classify(Exception exception) => PostgresErrors.Classify(exception);
}
