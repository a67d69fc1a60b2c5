using Zeze.Storage.RocksDb;

namespace Zeze.Storage.Tests.Conformance;

public sealed class RocksDbConformanceTests : DatabaseConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "zeze-storage-test-" + Guid.NewGuid().ToString("N"));

    // The directory lock already keeps a second process out; the marks only guard this open database.
    protected override bool InUseMarksSurviveReopen => false;

    protected override Task<IDatabase> OpenDatabaseAsync() =>
        Task.FromResult<IDatabase>(RocksDbDatabase.Open(new DatabaseOptions { Name = "rocks", Kind = DatabaseKind.RocksDb, ConnectionString = _directory }));

    protected override Task DeleteAsync()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
