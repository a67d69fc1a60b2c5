namespace Zeze.Bench.Network;

/// <summary>N1: one connection, 1000 rpcs in flight, 1,000,000 echo rpcs of a 100-byte bean; --raw: plain framed echo.</summary>
public sealed class N1RpcEcho : IWorkload
{
    public string Id => "N1";
    public long DefaultCount => 1_000_000;
    public bool HasRaw => true;

    public Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken) =>
        options.Raw
            ? RawEchoRun.RunAsync(options.CountOr(DefaultCount), options.Concurrency ?? 1000)
            : RpcEchoRun.RunAsync(options.CountOr(DefaultCount), connections: 1, inFlight: options.Concurrency ?? 1000, secured: false);
}

/// <summary>N2: N1 with key exchange, AES encryption and MPPC compression both ways.</summary>
public sealed class N2RpcEchoSecured : IWorkload
{
    public string Id => "N2";
    public long DefaultCount => 1_000_000;
    public bool HasRaw => false;

    public Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken) =>
        RpcEchoRun.RunAsync(options.CountOr(DefaultCount), connections: 1, inFlight: options.Concurrency ?? 1000, secured: true);
}

/// <summary>N3: 2,000 connections, each doing 100 sequential rpcs (--concurrency sets the connections).</summary>
public sealed class N3ManyClients : IWorkload
{
    public string Id => "N3";
    public long DefaultCount => 200_000;
    public bool HasRaw => false;

    public Task<WorkloadResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        int connections = options.Concurrency ?? 2000;
        return RpcEchoRun.RunAsync(options.CountOr(connections * 100L), connections, inFlight: 1, secured: false);
    }
}
