namespace Zeze.Storage;

/// <summary>
/// A failure of a backend database. The message names the database (and the table when there is one) and the
/// problem in plain words; the engine's own exception is kept as <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class DatabaseException : Exception
{
    public DatabaseException(DatabaseErrorKind kind, string databaseName, string? tableName, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        DatabaseName = databaseName;
        TableName = tableName;
    }

    public DatabaseErrorKind Kind { get; }

    /// <summary>True when retrying later may succeed (<see cref="DatabaseErrorKind.Transient"/>).</summary>
    public bool IsTransient => Kind == DatabaseErrorKind.Transient;

    /// <summary>The logical name of the database ("" for the default one).</summary>
    public string DatabaseName { get; }

    /// <summary>The table involved, or null for an operation on the database as a whole.</summary>
    public string? TableName { get; }
}
