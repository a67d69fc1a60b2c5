using System.Numerics;
using System.Security.Cryptography;

namespace Zeze.Net.Handshake;

/// <summary>
/// Diffie-Hellman as the handshake uses it (wire-and-schema.md B6): generator 2, the 768-bit MODP group 1 of
/// RFC 2409 (the only group on the wire), a 128-bit random private exponent, and numbers exchanged as
/// minimal big-endian two's complement byte arrays (Java's <c>BigInteger.toByteArray</c>).
/// </summary>
public static class DiffieHellman
{
    /// <summary>RFC 2409 section 6.1, the first Oakley group.</summary>
    public static readonly BigInteger Group1Prime = BigInteger.Parse(
        "00FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF",
        System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger Generator = 2;

    /// <summary>A new private exponent: 16 random bytes read as a positive number.</summary>
    public static BigInteger CreatePrivateExponent()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The public value <c>2^x mod p</c> in the wire form.</summary>
    public static byte[] PublicValue(BigInteger privateExponent) =>
        ToWire(BigInteger.ModPow(Generator, privateExponent, Group1Prime));

    /// <summary>The shared secret from the peer's public value (wire form in, wire form out).</summary>
    public static byte[] SharedMaterial(ReadOnlySpan<byte> peerPublic, BigInteger privateExponent)
    {
        var peer = FromWire(peerPublic);
        if (peer.Sign <= 0 || peer >= Group1Prime)
            throw new CryptographicException("the peer's Diffie-Hellman value is out of range");
        return ToWire(BigInteger.ModPow(peer, privateExponent, Group1Prime));
    }

    /// <summary>Minimal big-endian two's complement, as Java writes a BigInteger.</summary>
    public static byte[] ToWire(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);

    public static BigInteger FromWire(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: false, isBigEndian: true);
}
