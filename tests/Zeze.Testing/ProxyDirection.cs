namespace Zeze.Testing;

/// <summary>A direction through the <see cref="TcpFaultProxy"/>.</summary>
public enum ProxyDirection
{
    /// <summary>From the connecting side (the client) to the target (the server).</summary>
    ClientToServer,

    /// <summary>From the target back to the client.</summary>
    ServerToClient,
}
