namespace Zeze.Bench;

/// <summary>Every workload the runner knows. Add new ones here.</summary>
public static class WorkloadRegistry
{
    public static IReadOnlyList<IWorkload> All { get; } =
    [
        new Local.W1AddOneCaller(),
        new Local.W2AddFullConflict(),
        new Local.W3AddSpread(),
        new Local.W4BankTransfer(),
        new Local.W5ReadMostly(),
        new Local.C1CheckpointThroughput(),
        new Distributed.G1Disjoint(),
        new Distributed.G2Shared(),
        new Distributed.G3PingPong(),
        new Network.N1RpcEcho(),
        new Network.N2RpcEchoSecured(),
        new Network.N3ManyClients(),
        new Network.N1PipelinesEcho(),
    ];

    public static IWorkload? Find(string id) => All.FirstOrDefault(w => w.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
}
