using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Zeze.Net.Codec;
using Zeze.Net.Handshake;

namespace Zeze.Net.Tests;

/// <summary>The key exchange vector of B6 and the AES-CFB vector of B7.</summary>
public class CryptoVectorTests
{
    private const string A = "00D42A9577498DDE6430C07D936D822A931A4626173515C748622A6DFB317031608256315A0A26E08E1C7E15762210982D024AEFC9679BF913E8E83892A92E366EDF834DE7A483FBD92FE2337C0C4C9F3F6E077CB1F53E582B794A42D2F0160C35";
    private const string B = "56A53D2AA7582C24B236735F0D9F6344C5C73B1986B8DCEB2D09A38DD702C4C29E2D80932ABEA194F174CB8B4E5E4555B80BEE7C12FD4E7546C67F7C566AB1B98451BB1D8B80AC63EF13D811EB2CA957925D83C59652C3F20EAB772FF30F586A";
    private const string Material = "76ECFC104B051A8C1CF24E6E1F916A3476C04FB281240A7CA7D8CA2AD166FBD2A2FF1B316F2C9850B1746396049705C04EEB331DAB03996FA0F3261EFC1C7C4C0BCB59E06B097F1F5430B74E6C86CCC1C16B488BECEFF7C78DCEEFA8596EADB6";

    private static BigInteger Exponent(byte b) => new(Enumerable.Repeat(b, 16).ToArray(), isUnsigned: true, isBigEndian: true);

    [Fact]
    public void DiffieHellmanPublicValuesAndMaterial()
    {
        var a = Exponent(0x11);
        var b = Exponent(0x22);
        var pa = DiffieHellman.PublicValue(a);
        var pb = DiffieHellman.PublicValue(b);
        Assert.Equal(A, Convert.ToHexString(pa));
        Assert.Equal(97, pa.Length);
        Assert.Equal(B, Convert.ToHexString(pb));
        Assert.Equal(Material, Convert.ToHexString(DiffieHellman.SharedMaterial(pb, a)));
        Assert.Equal(Material, Convert.ToHexString(DiffieHellman.SharedMaterial(pa, b)));
    }

    [Fact]
    public void KeyDerivationType2()
    {
        var keys = HandshakeKeys.FromDhMaterial(EncryptType.AesNoSecureIp, Convert.FromHexString(Material), []);
        Assert.Equal("34A61B97B43ADAB74582A9265781A0DC", Convert.ToHexString(keys.C2sKey));
        Assert.Equal("34A61B97B43ADAB74582A9265781A0DC", Convert.ToHexString(keys.C2sIv));
        Assert.Equal("B9831D13F93945F733E215D0C4E7D09B", Convert.ToHexString(keys.S2cKey));
        Assert.Equal("B9831D13F93945F733E215D0C4E7D09B", Convert.ToHexString(keys.S2cIv));
    }

    [Fact]
    public void KeyDerivationType1WithLoopbackAddress()
    {
        var ip = HandshakeKeys.AddressBytes(IPAddress.Loopback);
        var keys = HandshakeKeys.FromDhMaterial(EncryptType.Aes, Convert.FromHexString(Material), ip);
        Assert.Equal("B87F24FF1B3C45F8D2DF40D40D32073A", Convert.ToHexString(keys.C2sKey));
        Assert.Equal("66466A3748AFA98A4EE544349476B34B", Convert.ToHexString(keys.S2cKey));
        // IPv4 mapped into IPv6 is reduced to the same 4 bytes.
        Assert.Equal(ip, HandshakeKeys.AddressBytes(IPAddress.Loopback.MapToIPv6()));
    }

    [Fact]
    public void HmacMd5Vector() =>
        Assert.Equal("DDB43FC12746769820279DF1F357E4B1",
            Convert.ToHexString(HMACMD5.HashData(new byte[] { 0x7F, 0, 0, 1 }, "abc"u8)));

    [Fact]
    public void AesCfbAcrossTwoFlushes()
    {
        var key = MD5.HashData("material"u8);
        Assert.Equal("EEC34D804C9CE6C89CFF596BE555E6A4", Convert.ToHexString(key));
        using var enc = new AesCfbCipher(key, key, encrypt: true);
        var m1 = Encoding.ASCII.GetBytes("hello");
        var m2 = Encoding.ASCII.GetBytes("world, this is zeze!");
        enc.Transform(m1);
        enc.Transform(m2);
        Assert.Equal("BA28FE5ABF1D3BDEAC8B13AA8467CAF5BBAE75C98DE015C7A9", Convert.ToHexString([.. m1, .. m2]));

        using var dec = new AesCfbCipher(key, key, encrypt: false);
        var c = Convert.FromHexString("BA28FE5ABF1D3BDEAC8B13AA8467CAF5BBAE75C98DE015C7A9");
        dec.Transform(c.AsSpan(0, 3));
        dec.Transform(c.AsSpan(3, 20));
        dec.Transform(c.AsSpan(23));
        Assert.Equal("hello" + "world, this is zeze!", Encoding.ASCII.GetString(c));
    }

    [Fact]
    public void AesCfbAnySplitEqualsOneShot()
    {
        var rng = new Random(7);
        var key = new byte[16];
        rng.NextBytes(key);
        var plain = new byte[5000];
        rng.NextBytes(plain);
        using var aes = Aes.Create();
        aes.Key = key;
        var expected = aes.EncryptCfb(plain.AsSpan(0, plain.Length - plain.Length % 16).ToArray(), key, PaddingMode.None, 128);

        for (int trial = 0; trial < 20; trial++)
        {
            var data = (byte[])plain.Clone();
            using var enc = new AesCfbCipher(key, key, encrypt: true);
            using var dec = new AesCfbCipher(key, key, encrypt: false);
            for (int at = 0; at < data.Length;)
            {
                int n = Math.Min(rng.Next(0, 70), data.Length - at);
                enc.Transform(data.AsSpan(at, n));
                at += n;
            }
            Assert.Equal(expected, data.AsSpan(0, expected.Length).ToArray());
            for (int at = 0; at < data.Length;)
            {
                int n = Math.Min(rng.Next(0, 70), data.Length - at);
                dec.Transform(data.AsSpan(at, n));
                at += n;
            }
            Assert.Equal(plain, data);
        }
    }

    [Fact]
    public void RsaSecretSplit()
    {
        var secret = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var keys = HandshakeKeys.FromRsaSecret(secret);
        Assert.Equal(secret[..16], keys.C2sIv);
        Assert.Equal(secret[16..32], keys.C2sKey);
        Assert.Equal(secret[32..48], keys.S2cIv);
        Assert.Equal(secret[48..64], keys.S2cKey);
    }
}
