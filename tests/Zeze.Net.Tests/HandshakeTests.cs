using System.Security.Cryptography;
using Zeze.Net.Handshake;

namespace Zeze.Net.Tests;

/// <summary>Handshake over loopback with every encryption and compression choice, on and off, mixed.</summary>
public class HandshakeTests : IDisposable
{
    private readonly string _keyFile = Path.GetTempFileName();
    private readonly string _modulusHex;

    public HandshakeTests()
    {
        using var rsa = RSA.Create(1024);
        File.WriteAllBytes(_keyFile, RsaKeys.ToPrivateKeyBytes(rsa));
        _modulusHex = Convert.ToHexString(rsa.ExportParameters(false).Modulus!);
    }

    public void Dispose() => File.Delete(_keyFile);

    public static TheoryData<int, int, int> Matrix()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int encrypt in new[] { 0, 1, 2, 3 })
            foreach (int s2c in new[] { 0, 1 })
                foreach (int c2s in new[] { 0, 1 })
                    data.Add(encrypt, s2c, c2s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task RpcsFlowWhateverTheServerRecommends(int encrypt, int s2c, int c2s)
    {
        await using var server = new HandshakeServer("server", Echo.Options(o =>
        {
            o.EncryptType = encrypt;
            o.CompressS2c = s2c;
            o.CompressC2s = c2s;
            o.RsaPriKeyFile = _keyFile;
        })).WithEcho();
        await server.StartAsync();
        await using var client = new HandshakeClient("client", new ServiceOptions { KeepCheckPeriod = 0, RsaPubKey = _modulusHex });
        client.RegisterEchoClient();
        var so = await client.ConnectReadyAsync(server);

        Assert.Equal((encrypt, s2c, c2s), (so.EncryptType, so.CompressS2c, so.CompressC2s));
        await Wait.UntilAsync(() => server.Sockets.Any(s => s.IsHandshakeDone), "the server side to finish");
        var serverSide = server.Sockets.Single();
        Assert.Equal((encrypt, s2c, c2s), (serverSide.EncryptType, serverSide.CompressS2c, serverSide.CompressC2s));

        var rng = new Random(encrypt * 4 + s2c * 2 + c2s);
        var tasks = new List<Task<long>>();
        for (int i = 0; i < 200; i++)
        {
            var data = new byte[rng.Next(0, i % 20 == 0 ? 20_000 : 300)];
            if (i % 2 == 0) rng.NextBytes(data);
            else Array.Fill(data, (byte)'z');
            tasks.Add(Echo.EchoAsync(so, i, data));
        }
        Assert.All(await Task.WhenAll(tasks), rc => Assert.Equal(0, rc));
    }

    [Fact]
    public async Task AClientRecommendationItCannotFollowFallsBack()
    {
        // The server recommends RSA and Zstd; a client without the RSA key answers with plain DH and MPPC.
        await using var server = new HandshakeServer("server", Echo.Options(o =>
        {
            o.EncryptType = 3;
            o.CompressS2c = 2;
            o.CompressC2s = 0;
            o.RsaPriKeyFile = _keyFile;
        })).WithEcho();
        await server.StartAsync();
        await using var client = new HandshakeClient("client", new ServiceOptions { KeepCheckPeriod = 0 });
        client.RegisterEchoClient();
        var so = await client.ConnectReadyAsync(server);
        Assert.Equal((2, 1, 0), (so.EncryptType, so.CompressS2c, so.CompressC2s));
        Assert.Equal(0, await Echo.EchoAsync(so, 1, [1, 2, 3]));
    }

    [Fact]
    public async Task AHandshakeThatNeverStartsTimesOut()
    {
        // A plain server sends no SHandshake0.
        await using var server = new Service("server", Echo.Options()).WithEcho();
        await server.StartAsync();
        await using var client = new HandshakeClient("client", new ServiceOptions { KeepCheckPeriod = 0, HandshakeTimeoutMs = 200 });
        var so = await client.ConnectAsync("127.0.0.1", server.Port());
        Assert.False(await so.Ready.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("handshake timeout", so.CloseReason);
    }

    [Fact]
    public async Task AServerRequiringEncryptionRefusesAClientThatDeclines()
    {
        var serverLog = new TestLog();
        await using var server = new HandshakeServer("server", Echo.Options(o => o.EncryptType = 2), serverLog).WithEcho();
        await server.StartAsync();
        using var raw = Echo.RawConnect(server.Port());
        var hello = new CHandshake(); // encrypt 0, no compression
        raw.Send([.. hello.EncodeFrame(), .. new CHandshakeDone().EncodeFrame()]);
        Echo.DrainUntilClosed(raw);
        await Wait.UntilAsync(() => serverLog.Contains("encryption 2 is required but the client chose none"), "the refusal");
    }

    [Fact]
    public async Task ABadKeyExchangeClosesTheConnection()
    {
        var serverLog = new TestLog();
        await using var server = new HandshakeServer("server", Echo.Options(o => o.EncryptType = 2), serverLog).WithEcho();
        await server.StartAsync();
        using var raw = Echo.RawConnect(server.Port());
        var hello = new CHandshake();
        hello.Argument.EncryptType = 2;
        hello.Argument.EncryptParam = [0x00]; // zero is no Diffie-Hellman value
        raw.Send(hello.EncodeFrame());
        Echo.DrainUntilClosed(raw);
        await Wait.UntilAsync(() => serverLog.Contains("handshake failed in CHandshake"), "the refusal");
        await Wait.UntilAsync(() => server.SocketCount == 0, "the connection closed");
    }
}
