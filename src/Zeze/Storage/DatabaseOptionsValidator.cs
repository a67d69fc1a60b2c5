using Microsoft.Extensions.Options;

namespace Zeze.Storage;

/// <summary>Checks <see cref="DatabaseOptions"/> at start, with messages that say what to write instead.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string who = $"Database '{options.Name}'";

        if (options.Name is null)
            failures.Add("Database Name must not be null (use \"\" for the default database).");
        if (!Enum.IsDefined(options.Kind))
            failures.Add($"{who}: Kind {(int)options.Kind} is unknown; use Memory, RocksDb, MySql, Postgres or SqlServer.");

        switch (options.Kind)
        {
            case DatabaseKind.RocksDb when string.IsNullOrWhiteSpace(options.ConnectionString):
                failures.Add($"{who}: Kind RocksDb needs ConnectionString = the database directory.");
                break;
            case DatabaseKind.MySql or DatabaseKind.Postgres or DatabaseKind.SqlServer when string.IsNullOrWhiteSpace(options.ConnectionString):
                failures.Add($"{who}: Kind {options.Kind} needs ConnectionString = the driver's connection string " +
                             $"({ExampleConnectionString(options.Kind)}).");
                break;
        }

        if (options.DeleteOnDispose && options.Kind != DatabaseKind.RocksDb)
            failures.Add($"{who}: DeleteOnDispose applies only to Kind RocksDb.");
        if (options.ConnectTimeout is { } connect && (connect <= TimeSpan.Zero || connect > TimeSpan.FromHours(1)))
            failures.Add($"{who}: ConnectTimeout {connect} must be more than 0 and at most 1 hour.");
        if (options.CommandTimeout < TimeSpan.FromSeconds(1) || options.CommandTimeout > TimeSpan.FromDays(1))
            failures.Add($"{who}: CommandTimeout {options.CommandTimeout} must be between 1 second and 1 day.");
        if (options.MaxPoolSize is { } pool && (pool < 1 || pool > 10_000))
            failures.Add($"{who}: MaxPoolSize {pool} must be between 1 and 10000.");
        if (options.DisposeTimeout <= TimeSpan.Zero)
            failures.Add($"{who}: DisposeTimeout {options.DisposeTimeout} must be more than 0.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string ExampleConnectionString(DatabaseKind kind) => kind switch
    {
        DatabaseKind.MySql => "e.g. Server=127.0.0.1;Port=3306;User ID=zeze;Password=...;Database=zeze",
        DatabaseKind.Postgres => "e.g. Host=127.0.0.1;Port=5432;Username=zeze;Password=...;Database=zeze",
        _ => "e.g. Server=127.0.0.1,1433;User ID=zeze;Password=...;Database=zeze;TrustServerCertificate=true",
    };
}
