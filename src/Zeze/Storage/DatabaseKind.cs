namespace Zeze.Storage;

/// <summary>The engine behind a database.</summary>
public enum DatabaseKind
{
    /// <summary>Process-global in-memory store, named by the connection string (or the database name).</summary>
    Memory,

    /// <summary>Embedded RocksDB in a directory (the default).</summary>
    RocksDb,

    /// <summary>MySQL or MariaDB through the Zeze.Storage.MySql package.</summary>
    MySql,

    /// <summary>PostgreSQL through the Zeze.Storage.Postgres package.</summary>
    Postgres,

    /// <summary>SQL Server through the Zeze.Storage.SqlServer package.</summary>
    SqlServer,
}
