using Zeze.Transaction;

namespace Zeze.Net;

/// <summary>How a service builds and handles one protocol type (registered by generated module code).</summary>
/// <param name="Factory">Creates an empty instance to decode into.</param>
/// <param name="Handle">Handles a decoded request or protocol; null when this side only sends it (or only
/// receives rpc responses).</param>
/// <param name="Level">Transaction level the handler runs at.</param>
/// <param name="Name">Full name used in logs and as the procedure name.</param>
public sealed record ProtocolFactoryHandle(
    Func<Protocol> Factory,
    Func<Protocol, ValueTask<long>>? Handle,
    TransactionLevel Level,
    string Name);
