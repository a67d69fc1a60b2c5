using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Zeze.Storage.Sql;

/// <summary>
/// A database on an SQL server, written against ADO.NET so that each engine package only brings its driver and its
/// <see cref="SqlDialect"/>. Connections come from the driver's pool (<see cref="DbDataSource"/>); a batch is one SQL
/// transaction of multi-row upserts and deletes.
/// </summary>
public sealed class SqlDatabase : KvDatabase
{
    private readonly DbDataSource _dataSource;
    private readonly int _commandTimeoutSeconds;

    private SqlDatabase(DatabaseOptions options, DatabaseKind kind, DbDataSource dataSource, SqlDialect dialect, string description, ILogger logger)
        : base(options, kind, description, logger)
    {
        _dataSource = dataSource;
        Dialect = dialect;
        _commandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
    }

    public SqlDialect Dialect { get; }

    public override int MaxKeyLength => Dialect.MaxKeyLength;

    public override int MaxTableNameLength => Dialect.MaxIdentifierLength;

    /// <summary>
    /// Connects, creates the internal tables when missing, and returns the database. Bad credentials, a missing
    /// database or permission fail here with <see cref="DatabaseErrorKind.Refused"/>; an unreachable server with
    /// <see cref="DatabaseErrorKind.Transient"/>. The data source is disposed on failure.
    /// </summary>
    public static async ValueTask<SqlDatabase> OpenAsync(DatabaseOptions options, DatabaseKind kind, DbDataSource dataSource, SqlDialect dialect,
        string description, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        var database = new SqlDatabase(options, kind, dataSource, dialect, description, logger);
        try
        {
            await database.CreateInternalTablesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            if (e is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException)
                throw database.Translate(e, null, "opening the database");
            throw;
        }
        StorageLog.Opened(logger, database.Name, database.Description);
        return database;
    }

    /// <summary>The refusal for a connection string the driver cannot read (its message names the keyword, not the values).</summary>
    public static DatabaseException InvalidConnectionString(DatabaseOptions options, string engine, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(exception);
        return new DatabaseException(DatabaseErrorKind.Refused, options.Name, null,
            $"database '{options.Name}': the {engine} connection string is not valid: {exception.Message}", exception);
    }

    private async Task CreateInternalTablesAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (string sql in Dialect.CreateInternalTables)
            {
                try
                {
                    await ExecuteAsync(connection, null, sql, cancellationToken).ConfigureAwait(false);
                }
                catch (DbException e) when (Dialect.IsAlreadyExists(e) || Dialect.IsDuplicateKey(e))
                {
                    // Another server created it at the same moment.
                }
            }
        }
    }

    protected override async ValueTask<KvTable> OpenTableCoreAsync(string name, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var exists = Command(connection, null, Dialect.TableExists);
            await using (exists.ConfigureAwait(false))
            {
                AddParameter(exists, "@name", name, DbType.String);
                if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                    return new SqlTable(this, name, isNew: false);
            }
            try
            {
                await ExecuteAsync(connection, null, Dialect.CreateTable(Dialect.Quote(name)), cancellationToken).ConfigureAwait(false);
                return new SqlTable(this, name, isNew: true);
            }
            catch (DbException e) when (Dialect.IsAlreadyExists(e))
            {
                return new SqlTable(this, name, isNew: false);
            }
        }
    }

    protected override async ValueTask CommitCoreAsync(IReadOnlyList<KvWrite> writes, int failAtWrite, CancellationToken cancellationToken)
    {
        var groups = SqlBatchPlan.Group(writes);
        // With the test hook armed, one row per statement, so the writes before the failure really reach the server.
        int maxRows = failAtWrite > 0 ? 1 : Dialect.MaxRowsPerStatement;
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(Dialect.BatchIsolation, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    int done = 0;
                    foreach (var (table, delete, rows) in groups)
                    {
                        string quoted = ((SqlTable)table).QuotedName;
                        foreach (var chunk in SqlBatchPlan.Chunks(rows, maxRows, Dialect.MaxBytesPerStatement))
                        {
                            ThrowIfFaultDue(done, failAtWrite);
                            await ExecuteChunkAsync(connection, transaction, quoted, delete, chunk, cancellationToken).ConfigureAwait(false);
                            done += chunk.Count;
                        }
                    }
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                    throw;
                }
            }
        }
    }

    private async Task ExecuteChunkAsync(DbConnection connection, DbTransaction transaction, string quotedTable, bool delete, ArraySegment<KvWrite> rows, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, delete ? Dialect.Delete(quotedTable, rows.Count) : Dialect.Upsert(quotedTable, rows.Count));
        await using (command.ConfigureAwait(false))
        {
            for (int i = 0; i < rows.Count; i++)
            {
                AddKey(command, "@k" + i, rows[i].Key);
                if (!delete)
                    AddValue(command, "@v" + i, rows[i].Value!);
            }
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RollbackQuietlyAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            // The connection is gone; the server rolls back on its side, and the pool drops the connection.
            StorageLog.RollbackFailed(Logger, e, Name);
        }
    }

    protected override async ValueTask<VersionedValue?> GetDataCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, Dialect.GetData);
            await using (command.ConfigureAwait(false))
            {
                AddKey(command, "@k", key.ToArray());
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        return null;
                    return new VersionedValue(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1));
                }
            }
        }
    }

    protected override async ValueTask<long?> TrySaveDataCoreAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, expectedVersion == 0 ? Dialect.InsertData : Dialect.UpdateData);
            await using (command.ConfigureAwait(false))
            {
                AddKey(command, "@k", key.ToArray());
                AddValue(command, "@d", data.ToArray());
                if (expectedVersion != 0)
                    AddParameter(command, "@ver", expectedVersion, DbType.Int64);
                int rows;
                try
                {
                    rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DbException e) when (expectedVersion == 0 && Dialect.IsDuplicateKey(e))
                {
                    return null;
                }
                return rows == 1 ? expectedVersion + 1 : null;
            }
        }
    }

    protected override async ValueTask<string?> SetInUseCoreAsync(int serverId, string globalCacheName, CancellationToken cancellationToken)
    {
        if (serverId == SqlDialect.SentinelServerId)
            throw new ArgumentOutOfRangeException(nameof(serverId), serverId, "this server id is reserved.");
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The sentinel row's lock makes check-then-insert atomic against other servers starting at once.
                await ExecuteAsync(connection, transaction, Dialect.LockInstances, cancellationToken).ConfigureAwait(false);
                var current = new List<(int, string)>();
                var list = Command(connection, transaction, Dialect.ListInstances);
                await using (list.ConfigureAwait(false))
                {
                    var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                            current.Add((reader.GetInt32(0), reader.GetString(1)));
                    }
                }
                string? refusal = InUseRules.Refusal(serverId, globalCacheName, current);
                if (refusal is null)
                {
                    var insert = Command(connection, transaction, Dialect.InsertInstance);
                    await using (insert.ConfigureAwait(false))
                    {
                        AddParameter(insert, "@id", serverId, DbType.Int32);
                        AddParameter(insert, "@g", globalCacheName, DbType.String);
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return refusal;
            }
        }
    }

    protected override async ValueTask<bool> ClearInUseCoreAsync(int serverId, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, Dialect.DeleteInstance);
            await using (command.ConfigureAwait(false))
            {
                AddParameter(command, "@id", serverId, DbType.Int32);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            }
        }
    }

    protected override ValueTask DisposeCoreAsync() => _dataSource.DisposeAsync();

    protected override DatabaseException Translate(Exception exception, string? table, string operation)
    {
        string engine = Dialect.EngineName;
        return Dialect.Classify(exception) switch
        {
            DatabaseErrorKind.Transient => Error(DatabaseErrorKind.Transient, table,
                $"{operation}: the {engine} server is unreachable or gave up for a passing reason; retry later. ({exception.Message})", exception),
            DatabaseErrorKind.Refused => Error(DatabaseErrorKind.Refused, table,
                $"{operation}: the {engine} server refused: {exception.Message}. Check the user, password, database and " +
                "permissions of the connection string.", exception),
            var kind => Error(kind, table, $"{operation} failed on the {engine} server: {exception.Message}", exception),
        };
    }

    internal ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        _dataSource.OpenConnectionAsync(cancellationToken);

    internal DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = _commandTimeoutSeconds;
        command.Transaction = transaction;
        return command;
    }

    internal void AddKey(DbCommand command, string name, byte[] key)
    {
        var parameter = AddParameter(command, name, key, DbType.Binary);
        Dialect.ConfigureKey(parameter);
    }

    private void AddValue(DbCommand command, string name, byte[] value)
    {
        var parameter = AddParameter(command, name, value, DbType.Binary);
        Dialect.ConfigureValue(parameter);
    }

    private static DbParameter AddParameter(DbCommand command, string name, object value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, sql);
        await using (command.ConfigureAwait(false))
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
