using System.Text;
using Zeze.Transaction.Schemas;

namespace Zeze;

public sealed partial class Application
{
    /// <summary>Thrown by <see cref="StartAsync"/> when the code's schema is incompatible with the stored data.</summary>
    public sealed class SchemaIncompatibleException(IReadOnlyList<string> problems)
        : InvalidOperationException("the schema is not compatible with the data stored in the database:\n  " + string.Join("\n  ", problems))
    {
        public IReadOnlyList<string> Problems { get; } = problems;
    }

    private static readonly byte[] SchemaKey = Encoding.UTF8.GetBytes(SchemaChecker.StorageKey);

    /// <summary>
    /// Compares the tables' schemas with the one stored in the default database and stores the new one
    /// (compare-and-set, so servers starting together agree). Refuses to start on an incompatible change.
    /// </summary>
    private async Task CheckSchemasAsync(CancellationToken cancellationToken)
    {
        if (!_databases.TryGetValue("", out var entry)) return; // memory only: nothing stored to protect
        var db = entry.Db;
        var current = SchemaChecker.FromTables(_tablesById.Values.Where(t => !t.IsMemory).Select(t => t.Schema).OfType<TableSchema>());
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var stored = await db.GetDataWithVersionAsync(SchemaKey, cancellationToken).ConfigureAwait(false);
            SchemaChecker.Stored toSave;
            if (stored == null)
            {
                toSave = current;
            }
            else
            {
                SchemaChecker.Stored old;
                try
                {
                    old = SchemaChecker.Deserialize(stored.Data);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
                {
                    throw new InvalidOperationException($"the schema stored in database '{db.Description}' under '{SchemaChecker.StorageKey}' is corrupt: {e.Message}", e);
                }
                var checker = new SchemaChecker(old, current);
                var problems = checker.Check();
                if (problems.Count > 0) throw new SchemaIncompatibleException(problems);
                toSave = checker.Merged();
            }
            var saved = await db.TrySaveDataWithSameVersionAsync(SchemaKey, SchemaChecker.Serialize(toSave), stored?.Version ?? 0, cancellationToken).ConfigureAwait(false);
            if (saved != null) return;
            // Another server stored a schema meanwhile: check against that one.
        }
        throw new InvalidOperationException("could not store the schema: it kept changing (another server starting?)");
    }
}
