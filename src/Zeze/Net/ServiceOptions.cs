namespace Zeze.Net;

/// <summary>
/// Settings of one <see cref="Service"/>, bound from configuration section <c>Zeze:Services:&lt;name&gt;</c>
/// (the <c>ServiceConf</c> of zeze.xml, wire-and-schema.md B10–B12). Sizes are bytes, times as named.
/// </summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section holding one child section per service name.</summary>
    public const string SectionPrefix = "Zeze:Services";

    /// <summary>Where to listen.</summary>
    public List<AcceptorOptions> Acceptors { get; set; } = [];

    /// <summary>Where to connect (each one a managed, reconnecting connection).</summary>
    public List<ConnectorOptions> Connectors { get; set; } = [];

    /// <summary>TCP_NODELAY (on by default: frames are already batched per send).</summary>
    public bool NoDelay { get; set; } = true;

    /// <summary>SO_SNDBUF; 0 keeps the system default.</summary>
    public int SendBuffer { get; set; }

    /// <summary>SO_RCVBUF; 0 keeps the system default.</summary>
    public int ReceiveBuffer { get; set; }

    /// <summary>Bytes asked for by each receive call.</summary>
    public int InputBufferSize { get; set; } = 8192;

    /// <summary>Largest frame payload accepted; a larger one (complete or not) closes the connection.</summary>
    public int InputBufferMaxProtocolSize { get; set; } = 2 << 20;

    /// <summary>
    /// Most bytes queued for one connection and not yet written to the socket. A send that would pass it
    /// closes the connection: a peer that does not read cannot make this process's memory grow, and
    /// dropping single messages instead would leave the peer silently out of step.
    /// </summary>
    public int OutputBufferMaxSize { get; set; } = 2 << 20;

    /// <summary>Listen backlog.</summary>
    public int Backlog { get; set; } = 128;

    /// <summary>Handshake: the encryption the server recommends (<see cref="Handshake.EncryptType"/>).</summary>
    public int EncryptType { get; set; }

    /// <summary>Handshake: the server-to-client compression the server recommends (<see cref="Handshake.CompressType"/>).</summary>
    public int CompressS2c { get; set; }

    /// <summary>Handshake: the client-to-server compression the server recommends.</summary>
    public int CompressC2s { get; set; }

    /// <summary>Handshake: encrypt types this side accepts and advertises; null means 1, 2 and (if RSA keys are configured) 3.</summary>
    public int[]? SupportedEncrypt { get; set; }

    /// <summary>Handshake: compressions this side accepts and advertises; null means MPPC only.</summary>
    public int[]? SupportedCompress { get; set; }

    /// <summary>Handshake type 1: the server address mixed into the keys, when clients reach it through NAT or a proxy.</summary>
    public string? SecureIp { get; set; }

    /// <summary>Handshake type 3 (client side): the server's RSA modulus in hex (public exponent 65537).</summary>
    public string? RsaPubKey { get; set; }

    /// <summary>Handshake type 3 (server side): file with the RSA private key (Zeze's binary layout).</summary>
    public string? RsaPriKeyFile { get; set; }

    /// <summary>A client closes a connection whose handshake has not finished in this time.</summary>
    public int HandshakeTimeoutMs { get; set; } = 5000;

    /// <summary>Seconds between keep-alive scans; 0 disables keep-alive.</summary>
    public int KeepCheckPeriod { get; set; } = 5;

    /// <summary>Seconds without receiving anything after which a connection is closed; 0 never.</summary>
    public int KeepRecvTimeout { get; set; } = 60;

    /// <summary>Seconds of silence after which a client-side connection sends a KeepAlive request; 0 never.</summary>
    public int KeepSendTimeout { get; set; } = 25;

    /// <summary>
    /// False (default): a handler starts on the receiving thread and runs there until its first real
    /// await, which keeps request order and costs no thread hop; handlers must not block. True: every
    /// handler is queued to the thread pool (for applications whose handlers block or compute long).
    /// </summary>
    public bool DispatchToThreadPool { get; set; }

    /// <summary>Granularity of rpc timeouts in milliseconds: a timeout fires up to three ticks late, never early.</summary>
    public int RpcTimerTickMs { get; set; } = 20;

    /// <summary>Problems that make these options unusable, each a sentence naming the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok) errors.Add(message);
        }
        Require(InputBufferSize is >= 512 and <= 1 << 24, $"InputBufferSize must be between 512 and 16777216 bytes (got {InputBufferSize}).");
        Require(InputBufferMaxProtocolSize is >= 64 and <= 1 << 29, $"InputBufferMaxProtocolSize must be between 64 and 536870912 bytes (got {InputBufferMaxProtocolSize}).");
        Require(OutputBufferMaxSize is >= 1024 and <= 1 << 29, $"OutputBufferMaxSize must be between 1024 and 536870912 bytes (got {OutputBufferMaxSize}).");
        Require(SendBuffer >= 0 && ReceiveBuffer >= 0, $"SendBuffer and ReceiveBuffer must be 0 (system default) or positive (got {SendBuffer} and {ReceiveBuffer}).");
        Require(Backlog > 0, $"Backlog must be positive (got {Backlog}).");
        Require(EncryptType is >= 0 and <= 3, $"EncryptType must be 0 (none), 1 (AES, key bound to the server IP), 2 (AES) or 3 (RSA+AES) (got {EncryptType}).");
        Require(CompressS2c is >= 0 and <= 2, $"CompressS2c must be 0 (none), 1 (MPPC) or 2 (Zstd, offered as MPPC) (got {CompressS2c}).");
        Require(CompressC2s is >= 0 and <= 2, $"CompressC2s must be 0 (none), 1 (MPPC) or 2 (Zstd, offered as MPPC) (got {CompressC2s}).");
        if (SupportedEncrypt != null)
            Require(SupportedEncrypt.All(e => e is >= 1 and <= 3), $"SupportedEncrypt may list only 1, 2 and 3 (got {string.Join(",", SupportedEncrypt)}).");
        if (SupportedCompress != null)
            Require(SupportedCompress.All(c => c == 1), $"SupportedCompress may list only 1 (MPPC) (got {string.Join(",", SupportedCompress)}).");
        Require(SecureIp == null || System.Net.IPAddress.TryParse(SecureIp, out _), $"SecureIp must be an IP address literal (got '{SecureIp}').");
        Require(EncryptType != 3 || !string.IsNullOrEmpty(RsaPriKeyFile), "EncryptType 3 (RSA) needs RsaPriKeyFile on the server.");
        Require(HandshakeTimeoutMs > 0, $"HandshakeTimeoutMs must be positive (got {HandshakeTimeoutMs}).");
        Require(KeepCheckPeriod >= 0 && KeepRecvTimeout >= 0 && KeepSendTimeout >= 0,
            $"KeepCheckPeriod, KeepRecvTimeout and KeepSendTimeout must be 0 (off) or positive seconds (got {KeepCheckPeriod}, {KeepRecvTimeout}, {KeepSendTimeout}).");
        Require(RpcTimerTickMs is >= 1 and <= 1000, $"RpcTimerTickMs must be between 1 and 1000 (got {RpcTimerTickMs}).");
        for (int i = 0; i < Acceptors.Count; i++)
        {
            var a = Acceptors[i];
            Require(a.Port is >= 0 and <= 65535, $"Acceptors[{i}].Port must be between 0 and 65535 (got {a.Port}).");
            Require(string.IsNullOrEmpty(a.Ip) || System.Net.IPAddress.TryParse(a.Ip, out _), $"Acceptors[{i}].Ip must be empty (any address) or an IP address literal (got '{a.Ip}').");
        }
        for (int i = 0; i < Connectors.Count; i++)
        {
            var c = Connectors[i];
            Require(!string.IsNullOrWhiteSpace(c.HostNameOrAddress), $"Connectors[{i}].HostNameOrAddress is required.");
            Require(c.Port is > 0 and <= 65535, $"Connectors[{i}].Port must be between 1 and 65535 (got {c.Port}).");
            Require(c.MaxReconnectDelayMs >= 1000, $"Connectors[{i}].MaxReconnectDelayMs must be at least 1000 (got {c.MaxReconnectDelayMs}).");
            Require(c.ReadyTimeoutMs > 0, $"Connectors[{i}].ReadyTimeoutMs must be positive (got {c.ReadyTimeoutMs}).");
        }
        return errors;
    }
}

/// <summary>One listening address.</summary>
public sealed class AcceptorOptions
{
    /// <summary>IP literal to bind; empty binds every address (IPv4 and IPv6).</summary>
    public string? Ip { get; set; }

    /// <summary>TCP port; 0 picks a free one (see <see cref="Acceptor.LocalEndPoint"/>).</summary>
    public int Port { get; set; }
}

/// <summary>One managed outgoing connection.</summary>
public sealed class ConnectorOptions
{
    public string HostNameOrAddress { get; set; } = "";
    public int Port { get; set; }

    /// <summary>Reconnect after a failure or close (1 s, doubling up to <see cref="MaxReconnectDelayMs"/>).</summary>
    public bool AutoReconnect { get; set; } = true;

    public int MaxReconnectDelayMs { get; set; } = 8000;

    /// <summary>How long <see cref="Connector.GetReadySocketAsync"/> waits by default.</summary>
    public int ReadyTimeoutMs { get; set; } = 5000;
}
