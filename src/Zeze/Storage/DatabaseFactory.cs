using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zeze.Storage.Memory;
using Zeze.Storage.RocksDb;

namespace Zeze.Storage;

/// <summary>
/// Opens an <see cref="IDatabase"/> from <see cref="DatabaseOptions"/> through a registry of providers. Memory and
/// RocksDB are built in; the SQL packages add theirs (<c>factory.Register(new MySqlDatabaseProvider())</c>, or the
/// <c>AddMySql()</c>, <c>AddPostgres()</c>, <c>AddSqlServer()</c> extensions).
/// </summary>
public sealed class DatabaseFactory
{
    private readonly Dictionary<DatabaseKind, IDatabaseProvider> _providers = [];
    private readonly ILoggerFactory _loggerFactory;

    public DatabaseFactory(ILoggerFactory? loggerFactory = null, IEnumerable<IDatabaseProvider>? providers = null)
    {
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Register(new MemoryDatabaseProvider());
        Register(new RocksDbDatabaseProvider());
        foreach (var provider in providers ?? [])
            Register(provider);
    }

    /// <summary>Adds or replaces the provider of its kind.</summary>
    public DatabaseFactory Register(IDatabaseProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (_providers)
            _providers[provider.Kind] = provider;
        return this;
    }

    public bool Supports(DatabaseKind kind)
    {
        lock (_providers)
            return _providers.ContainsKey(kind);
    }

    /// <summary>Validates the options and opens the database.</summary>
    public ValueTask<IDatabase> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IDatabaseProvider? provider;
        lock (_providers)
            _providers.TryGetValue(options.Kind, out provider);
        if (provider is null)
            throw new InvalidOperationException(
                $"Database '{options.Name}': no provider for Kind {options.Kind} is registered; reference the " +
                $"Zeze.Storage.{options.Kind} package and register it (factory.Add{options.Kind}()).");
        return provider.OpenAsync(options.Clone(), _loggerFactory, cancellationToken);
    }

    /// <summary>Shorthand for the runner: parses a <c>--db</c> value and opens it.</summary>
    public ValueTask<IDatabase> OpenAsync(string db, string name = "", CancellationToken cancellationToken = default) =>
        OpenAsync(DatabaseOptions.Parse(db, name), cancellationToken);
}
