namespace Zeze;

public sealed partial class Application
{
    private Task CheckSchemasAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
