using Zeze.Storage.Memory;

namespace Zeze.Storage.Tests.Conformance;

public sealed class MemoryConformanceTests : DatabaseConformanceTests
{
    private readonly string _store = "test-" + Guid.NewGuid().ToString("N");

    protected override Task<IDatabase> OpenDatabaseAsync() =>
        Task.FromResult<IDatabase>(MemoryDatabase.Open(new DatabaseOptions { Name = "memory", Kind = DatabaseKind.Memory, ConnectionString = _store }));

    protected override Task DeleteAsync()
    {
        MemoryDatabase.DropStore(_store);
        return Task.CompletedTask;
    }
}
