namespace Zeze.Storage;

/// <summary>What a caller can do about a <see cref="DatabaseException"/>.</summary>
public enum DatabaseErrorKind
{
    /// <summary>Any other failure of the engine; retrying the same call is unlikely to help.</summary>
    Failure,

    /// <summary>
    /// The server could not be reached or gave up for a passing reason (connection refused or lost, restart,
    /// deadlock, lock wait timeout, too many connections). Retry with backoff: the checkpoint does.
    /// </summary>
    Transient,

    /// <summary>The server refused us: bad credentials, missing permission, unknown database. Fix the configuration.</summary>
    Refused,

    /// <summary>The stored data cannot be read (a damaged RocksDB directory).</summary>
    Corrupt,

    /// <summary>Another process (or another open database object in this process) holds the database directory.</summary>
    Locked,

    /// <summary>Another server already uses the database (<see cref="IDatabase.SetInUseAsync"/>).</summary>
    InUse,
}
