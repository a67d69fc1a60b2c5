namespace Zeze.Storage;

/// <summary>The runner's <c>--db</c> syntax (BENCHMARKS.md): KIND or KIND:VALUE, where VALUE may itself hold ':' and ';'.</summary>
internal static class DatabaseSpec
{
    private const string Forms = "memory, memory:STORE, rocksdb, rocksdb:PATH, mysql:CONN, postgres:CONN or sqlserver:CONN";

    public static DatabaseOptions Parse(string db, string name)
    {
        ArgumentNullException.ThrowIfNull(db);
        int colon = db.IndexOf(':', StringComparison.Ordinal);
        string kind = (colon < 0 ? db : db[..colon]).Trim().ToLowerInvariant();
        string? value = colon < 0 ? null : db[(colon + 1)..];
        if (value is not null && value.Trim().Length == 0)
            throw new FormatException($"--db '{db}': nothing after ':'; use {Forms}.");

        var options = new DatabaseOptions { Name = name };
        switch (kind)
        {
            case "memory":
                options.Kind = DatabaseKind.Memory;
                options.ConnectionString = value;
                break;
            case "rocksdb":
                options.Kind = DatabaseKind.RocksDb;
                if (value is null)
                {
                    // A fresh directory per run, so runs never see each other's data.
                    options.ConnectionString = Path.Combine(Path.GetTempPath(), "zeze-rocksdb-" + Guid.NewGuid().ToString("N"));
                    options.DeleteOnDispose = true;
                }
                else
                {
                    options.ConnectionString = value;
                }
                break;
            case "mysql" or "mariadb":
                options.Kind = DatabaseKind.MySql;
                options.ConnectionString = value ?? throw NeedsValue(db, kind);
                break;
            case "postgres" or "postgresql":
                options.Kind = DatabaseKind.Postgres;
                options.ConnectionString = value ?? throw NeedsValue(db, kind);
                break;
            case "sqlserver":
                options.Kind = DatabaseKind.SqlServer;
                options.ConnectionString = value ?? throw NeedsValue(db, kind);
                break;
            default:
                throw new FormatException($"--db '{db}': unknown kind '{kind}'; use {Forms}.");
        }
        return options;
    }

    private static FormatException NeedsValue(string db, string kind) =>
        new($"--db '{db}': {kind} needs a connection string, as {kind}:CONNECTION-STRING; the forms are {Forms}.");
}
