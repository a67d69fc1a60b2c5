namespace Zeze.Transaction.Tests.Servers;

/// <summary>
/// The tests on database servers run one at a time (some stop or kill a server, and all of them lean on the same
/// two cores), alongside the other test classes.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServerTests
{
    public const string Name = "database servers";
}
