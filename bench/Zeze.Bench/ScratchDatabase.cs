using MySqlConnector;
using Npgsql;
using Zeze.Storage;

namespace Zeze.Bench;

/// <summary>
/// Fresh tables for one run on a database server: a new PostgreSQL schema (the connection's search path) or a new
/// MySQL/MariaDB database, dropped on dispose. A database server keeps its tables between runs, so without this a
/// second run (or the warm-up before the measured run) would start from the previous run's data and fail its check.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    /// <summary>The <c>--db</c> value that points at the scratch schema or database.</summary>
    public string Spec { get; }

    /// <summary>The schema or database name (bench_ and 16 hex digits).</summary>
    public string Name { get; }

    private readonly Func<Task> _drop;

    private ScratchDatabase(string spec, string name, Func<Task> drop)
    {
        Spec = spec;
        Name = name;
        _drop = drop;
    }

    /// <summary>True when <paramref name="db"/> names a database server this class can make scratch space on.</summary>
    public static bool Supports(string db)
    {
        var kind = DatabaseOptions.Parse(db).Kind;
        return kind is DatabaseKind.Postgres or DatabaseKind.MySql;
    }

    public static async Task<ScratchDatabase> CreateAsync(string db)
    {
        var options = DatabaseOptions.Parse(db);
        string name = "bench_" + Guid.NewGuid().ToString("N")[..16];
        string server = options.ConnectionString!;
        switch (options.Kind)
        {
            case DatabaseKind.Postgres:
            {
                await ExecutePostgresAsync(server, $"CREATE SCHEMA \"{name}\"").ConfigureAwait(false);
                string conn = new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;
                return new ScratchDatabase("postgres:" + conn, name, () => ExecutePostgresAsync(server, $"DROP SCHEMA IF EXISTS \"{name}\" CASCADE"));
            }
            case DatabaseKind.MySql:
            {
                await ExecuteMySqlAsync(server, $"CREATE DATABASE `{name}`").ConfigureAwait(false);
                string conn = new MySqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
                return new ScratchDatabase("mysql:" + conn, name, () => ExecuteMySqlAsync(server, $"DROP DATABASE IF EXISTS `{name}`"));
            }
            default:
                throw new ArgumentException($"no scratch space on a {options.Kind} database (use postgres:... or mysql:...)");
        }
    }

    // Unpooled: these run once per run, and a pooled connection would keep the scratch schema's search path around.
    private static async Task ExecutePostgresAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task ExecuteMySqlAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _drop().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or MySqlException)
        {
            // The measured figures stand; say what was left behind instead of failing the run.
            Console.Error.WriteLine($"could not drop the scratch schema or database {Name}: {e.Message}");
        }
    }
}
