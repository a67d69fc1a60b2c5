namespace Zeze.TestSupport;

/// <summary>
/// The three-node Galera cluster of scripts/galera.sh: started (or its missing nodes started) when not every node
/// answers. Tests that kill a node hold <see cref="LockAsync"/> and start the node again before releasing it.
/// </summary>
public static class GaleraCluster
{
    public const int Nodes = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The machine-wide lock of the cluster (a test run at the same time waits rather than lose a node).</summary>
    public static Task<IDisposable> LockAsync() => MachineLock.AcquireAsync("galera", TimeSpan.FromMinutes(10));

    /// <summary>Makes sure every node is up and in the cluster; returns the connection strings.</summary>
    public static async Task<GaleraEndpoints> EnsureRunningAsync()
    {
        var endpoints = Read();
        if (endpoints == null || !await AllAnswerAsync(endpoints))
        {
            await ScriptRunner.RunAsync("galera.sh", "start", StartTimeout);
            endpoints = Read() ?? throw new InvalidOperationException($"scripts/galera.sh start did not write ZEZE_TEST_GALERA* to {TestServers.EnvFile}");
        }
        return endpoints;
    }

    /// <summary>SIGKILLs node <paramref name="node"/> (1..3).</summary>
    public static Task KillAsync(int node) => ScriptRunner.RunAsync("galera.sh", ["kill", node.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(1));

    /// <summary>Starts node <paramref name="node"/> again; it rejoins (IST) and is ready when this returns.</summary>
    public static Task RestartAsync(int node) => ScriptRunner.RunAsync("galera.sh", ["restart", node.ToString(System.Globalization.CultureInfo.InvariantCulture)], StartTimeout);

    private static GaleraEndpoints? Read()
    {
        string? all = TestServers.ReadEnvFile(TestServers.EnvFile, "ZEZE_TEST_GALERA");
        var nodes = Enumerable.Range(1, Nodes).Select(n => TestServers.ReadEnvFile(TestServers.EnvFile, $"ZEZE_TEST_GALERA_{n}")).ToArray();
        if (all == null || nodes.Any(n => n == null)) return null;
        return new GaleraEndpoints(all, nodes!);
    }

    private static async Task<bool> AllAnswerAsync(GaleraEndpoints endpoints)
    {
        foreach (string node in endpoints.Nodes)
        {
            if (!await TestServers.CanConnectMariaDbAsync(node)) return false;
        }
        return true;
    }
}

/// <summary><paramref name="FailOver"/> lists the nodes in order (a connection goes to the first that answers); <paramref name="Nodes"/> reach one node each.</summary>
public sealed record GaleraEndpoints(string FailOver, string[] Nodes);
