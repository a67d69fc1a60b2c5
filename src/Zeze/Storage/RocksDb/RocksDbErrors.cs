namespace Zeze.Storage.RocksDb;

/// <summary>
/// RocksDB reports every failure as one exception type whose message starts with its status ("IO error: ...",
/// "Corruption: ..."); this reads it into a kind and a sentence that says what to do.
/// </summary>
internal static class RocksDbErrors
{
    public static (DatabaseErrorKind Kind, string Problem) Explain(string directory, string operation, string message)
    {
        if (message.Contains("lock hold by current process", StringComparison.OrdinalIgnoreCase)
            || message.Contains("While lock file", StringComparison.OrdinalIgnoreCase)
            || message.Contains("/LOCK", StringComparison.Ordinal))
        {
            return (DatabaseErrorKind.Locked,
                $"{operation}: the RocksDB directory {directory} is locked: another process (or another open database " +
                $"object in this process) is using it. Stop it first. (RocksDB: {message})");
        }
        if (message.StartsWith("Corruption", StringComparison.OrdinalIgnoreCase)
            || message.Contains("MANIFEST", StringComparison.Ordinal)
            || message.Contains("CURRENT", StringComparison.Ordinal))
        {
            return (DatabaseErrorKind.Corrupt,
                $"{operation}: the RocksDB directory {directory} is damaged and cannot be read; restore it from a " +
                $"backup, or delete it if its data does not matter. (RocksDB: {message})");
        }
        if (message.StartsWith("IO error", StringComparison.OrdinalIgnoreCase))
            return (DatabaseErrorKind.Failure, $"{operation}: I/O error in the RocksDB directory {directory}. (RocksDB: {message})");
        return (DatabaseErrorKind.Failure, $"{operation} failed in the RocksDB directory {directory}. (RocksDB: {message})");
    }
}
