using System.Data;
using System.Runtime.CompilerServices;

namespace Zeze.Storage.Sql;

/// <summary>One SQL table <c>(id, value)</c> per Zeze table; each read takes a pooled connection.</summary>
internal sealed class SqlTable(SqlDatabase database, string name, bool isNew) : KvTable(database, name, isNew)
{
    private readonly string _find = database.Dialect.Find(database.Dialect.Quote(name));
    private readonly string _walk = database.Dialect.Walk(database.Dialect.Quote(name));

    internal string QuotedName { get; } = database.Dialect.Quote(name);

    protected internal override async ValueTask<byte[]?> FindCoreAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = database.Command(connection, null, _find);
            await using (command.ConfigureAwait(false))
            {
                database.AddKey(command, "@k", key.ToArray());
                object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return value is byte[] bytes ? bytes : null;
            }
        }
    }

    protected internal override async IAsyncEnumerable<KeyValuePair<byte[], byte[]>> WalkCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = database.Command(connection, null, _walk);
            // A walk lasts as long as its consumer; one statement's timeout would cut it short.
            command.CommandTimeout = 0;
            await using (command.ConfigureAwait(false))
            {
                // One statement is one consistent view, streamed row by row.
                var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        yield return KeyValuePair.Create(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1));
                }
            }
        }
    }
}
