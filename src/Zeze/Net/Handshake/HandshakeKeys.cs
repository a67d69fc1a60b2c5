using System.Net;
using System.Security.Cryptography;

namespace Zeze.Net.Handshake;

/// <summary>The AES key and IV of each direction, derived from the key exchange (wire-and-schema.md B6).</summary>
public sealed record HandshakeKeys(byte[] C2sKey, byte[] C2sIv, byte[] S2cKey, byte[] S2cIv)
{
    /// <summary>
    /// Types 1 and 2: the shared material is split in two halves (of its signed encoding, so a leading 00
    /// shifts the split); type 1 first mixes each half with the server's address by HMAC-MD5. Key = IV =
    /// MD5 of the result.
    /// </summary>
    public static HandshakeKeys FromDhMaterial(int encryptType, ReadOnlySpan<byte> material, ReadOnlySpan<byte> serverIp)
    {
        int half = material.Length / 2;
        var c2s = material[..half];
        var s2c = material[half..];
        byte[] c2sKey, s2cKey;
        if (encryptType == EncryptType.Aes)
        {
            c2sKey = MD5.HashData(HMACMD5.HashData(serverIp, c2s));
            s2cKey = MD5.HashData(HMACMD5.HashData(serverIp, s2c));
        }
        else if (encryptType == EncryptType.AesNoSecureIp)
        {
            c2sKey = MD5.HashData(c2s);
            s2cKey = MD5.HashData(s2c);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(encryptType), encryptType, "Diffie-Hellman keys exist for encrypt types 1 and 2 only");
        }
        return new HandshakeKeys(c2sKey, c2sKey, s2cKey, s2cKey);
    }

    /// <summary>Type 3: the 64-byte secret the client sent under RSA is the IV and key of both directions.</summary>
    public static HandshakeKeys FromRsaSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != 64) throw new CryptographicException($"the RSA handshake secret must be 64 bytes, not {secret.Length}");
        return new HandshakeKeys(
            C2sKey: secret[16..32].ToArray(), C2sIv: secret[..16].ToArray(),
            S2cKey: secret[48..64].ToArray(), S2cIv: secret[32..48].ToArray());
    }

    /// <summary>The address bytes mixed into type 1 keys: IPv4 as 4 bytes (also when mapped into IPv6).</summary>
    public static byte[] AddressBytes(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).GetAddressBytes();
}
