using System.Security.Cryptography;
using Zeze.Serialize;

namespace Zeze.Net.Handshake;

/// <summary>RSA keys of handshake type 3 (wire-and-schema.md B6): PKCS#1 v1.5 over a 64-byte secret.</summary>
public static class RsaKeys
{
    /// <summary>A public key from its modulus in hex; the exponent is always 65537.</summary>
    public static RSA FromPublicModulusHex(string modulusHex)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = TrimLeadingZero(Convert.FromHexString(modulusHex.Trim())),
            Exponent = [0x01, 0x00, 0x01],
        });
        return rsa;
    }

    /// <summary>
    /// A private key file in Zeze's layout: eight length-prefixed byte strings (D, DP, DQ, Exponent,
    /// InverseQ, Modulus, P, Q), each a big-endian number.
    /// </summary>
    public static RSA FromPrivateKeyFile(string path) => FromPrivateKeyBytes(File.ReadAllBytes(path));

    public static RSA FromPrivateKeyBytes(byte[] bytes)
    {
        var bb = ByteBuffer.Wrap(bytes);
        byte[] d = bb.ReadBytes(), dp = bb.ReadBytes(), dq = bb.ReadBytes(), e = bb.ReadBytes(),
            iq = bb.ReadBytes(), n = bb.ReadBytes(), p = bb.ReadBytes(), q = bb.ReadBytes();
        var modulus = TrimLeadingZero(n);
        int half = (modulus.Length + 1) / 2;
        var rsa = RSA.Create();
        // .NET wants D as long as the modulus and the CRT parts half as long, left-padded.
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = modulus,
            Exponent = TrimLeadingZero(e),
            D = Pad(d, modulus.Length),
            P = Pad(p, half),
            Q = Pad(q, half),
            DP = Pad(dp, half),
            DQ = Pad(dq, half),
            InverseQ = Pad(iq, half),
        });
        return rsa;
    }

    /// <summary>Writes <paramref name="rsa"/>'s private key in the layout <see cref="FromPrivateKeyBytes"/> reads.</summary>
    public static byte[] ToPrivateKeyBytes(RSA rsa)
    {
        var k = rsa.ExportParameters(includePrivateParameters: true);
        var bb = ByteBuffer.Allocate(1024);
        foreach (var part in new[] { k.D!, k.DP!, k.DQ!, k.Exponent!, k.InverseQ!, k.Modulus!, k.P!, k.Q! })
            bb.WriteBytes(part);
        return bb.ToArray();
    }

    private static byte[] TrimLeadingZero(byte[] b)
    {
        int i = 0;
        while (i < b.Length - 1 && b[i] == 0) i++;
        return i == 0 ? b : b[i..];
    }

    private static byte[] Pad(byte[] b, int length)
    {
        b = TrimLeadingZero(b);
        if (b.Length >= length) return b;
        var padded = new byte[length];
        b.CopyTo(padded, length - b.Length);
        return padded;
    }
}
