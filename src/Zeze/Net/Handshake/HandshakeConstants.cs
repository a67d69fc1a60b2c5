namespace Zeze.Net.Handshake;

/// <summary>The <c>encryptType</c> values of the handshake (wire-and-schema.md B5).</summary>
public static class EncryptType
{
    public const int Disable = 0;
    /// <summary>Diffie-Hellman, keys mixed with the server's IP address by HMAC-MD5.</summary>
    public const int Aes = 1;
    /// <summary>Diffie-Hellman only (works through NAT and proxies).</summary>
    public const int AesNoSecureIp = 2;
    /// <summary>A 64-byte secret chosen by the client, sent under the server's RSA public key.</summary>
    public const int RsaAes = 3;
}

/// <summary>The <c>compressS2c</c>/<c>compressC2s</c> values of the handshake.</summary>
public static class CompressType
{
    public const int Disable = 0;
    /// <summary>RFC 2118 bit format with a continuous history (wire-and-schema.md B8).</summary>
    public const int Mppc = 1;
    /// <summary>Zstd: Java peers only; not implemented here, negotiation falls back to MPPC.</summary>
    public const int Zstd = 2;
}
