using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Zeze.Net.Tests;

public class OptionsTests
{
    [Fact]
    public void BindsFromConfiguration()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zeze:Services:Server:Acceptors:0:Ip"] = "127.0.0.1",
            ["Zeze:Services:Server:Acceptors:0:Port"] = "20000",
            ["Zeze:Services:Server:Connectors:0:HostNameOrAddress"] = "gcm.local",
            ["Zeze:Services:Server:Connectors:0:Port"] = "5002",
            ["Zeze:Services:Server:EncryptType"] = "2",
            ["Zeze:Services:Server:CompressS2c"] = "1",
            ["Zeze:Services:Server:OutputBufferMaxSize"] = "1048576",
            ["Zeze:Services:Server:KeepRecvTimeout"] = "30",
            ["Zeze:Services:Server:SupportedEncrypt:0"] = "2",
        }).Build();
        var o = ServiceOptionsSetup.Load(config, "Server");
        Assert.Equal("127.0.0.1", o.Acceptors.Single().Ip);
        Assert.Equal(20000, o.Acceptors.Single().Port);
        Assert.Equal("gcm.local", o.Connectors.Single().HostNameOrAddress);
        Assert.Equal((2, 1, 0), (o.EncryptType, o.CompressS2c, o.CompressC2s));
        Assert.Equal(1048576, o.OutputBufferMaxSize);
        Assert.Equal(30, o.KeepRecvTimeout);
        Assert.Equal([2], o.SupportedEncrypt!);
        Assert.True(o.NoDelay);
    }

    [Fact]
    public void InvalidOptionsListEveryProblemByName()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zeze:Services:Bad:EncryptType"] = "7",
            ["Zeze:Services:Bad:OutputBufferMaxSize"] = "10",
            ["Zeze:Services:Bad:Connectors:0:Port"] = "0",
        }).Build();
        var e = Assert.Throws<OptionsValidationException>(() => ServiceOptionsSetup.Load(config, "Bad"));
        string all = string.Join("\n", e.Failures);
        Assert.Contains("Zeze service 'Bad': EncryptType must be 0", all);
        Assert.Contains("OutputBufferMaxSize must be between 1024", all);
        Assert.Contains("Connectors[0].HostNameOrAddress is required", all);
        Assert.Contains("Connectors[0].Port must be between 1 and 65535", all);
        Assert.Throws<ArgumentException>(() => new Service("x", new ServiceOptions { Backlog = 0 }));
    }
}
