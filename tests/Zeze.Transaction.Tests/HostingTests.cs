using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TestTx.Demo;
using Zeze.Hosting;

namespace Zeze.Transaction.Tests;

/// <summary>Generic Host integration: options from configuration (JSON, environment, command line), validation at start.</summary>
public class HostingTests
{
    [Fact]
    public async Task HostStartsTheApplicationWithModulesAndOptionsFromConfiguration()
    {
        string store = TestApp.NewStore();
        string json = Path.Combine(Path.GetTempPath(), $"zeze-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(json, """
            { "Zeze": { "Name": "hosted", "ServerId": 1, "CheckpointPeriod": "00:00:05",
                        "Databases": { "": { "Kind": "Memory", "ConnectionString": "__STORE__" } },
                        "Tables": { "TestTx_Demo_TImportant": { "CheckpointWhenCommit": true } } } }
            """.Replace("__STORE__", store));
        try
        {
            Environment.SetEnvironmentVariable("Zeze__MaxAttempts", "100");
            var builder = Host.CreateApplicationBuilder(["--Zeze:ServerId=7"]);
            builder.Configuration.AddJsonFile(json);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(["--Zeze:ServerId=7"]);
            builder.Services.AddZeze(builder.Configuration).AddModule<ModuleDemo>();
            using var host = builder.Build();
            await host.StartAsync();
            var app = host.Services.GetRequiredService<Application>();
            var demo = host.Services.GetRequiredService<ModuleDemo>();
            Assert.True(app.IsRunning);
            Assert.Equal("hosted", app.Options.Name);
            Assert.Equal(7, app.Options.ServerId); // command line wins over the JSON file
            Assert.Equal(100, app.Options.MaxAttempts); // from the environment
            Assert.Equal(TimeSpan.FromSeconds(5), app.Options.CheckpointPeriod);
            Assert.True(demo.TImportant.CheckpointWhenCommit);
            Assert.Equal(0, await app.RunAsync(async () => { (await demo.T1.GetOrAddAsync(1)).I1 = 42; return 0; }, "hosted"));
            await host.StopAsync();
            Assert.False(app.IsRunning);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Zeze__MaxAttempts", null);
            File.Delete(json);
            Zeze.Storage.Memory.MemoryDatabase.DropStore(store);
        }
    }

    [Fact]
    public async Task InvalidOptionsStopTheStartWithAClearMessage()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zeze:MaxAttempts"] = "0",
            ["Zeze:CheckpointPeriod"] = "-00:00:01",
        });
        builder.Services.AddZeze(builder.Configuration);
        using var host = builder.Build();
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Zeze:MaxAttempts must be at least 1", e.Message);
        Assert.Contains("Zeze:CheckpointPeriod must not be negative", e.Message);
    }

    [Fact]
    public async Task CorruptDatabaseDirectoryIsReportedByName()
    {
        string dir = Path.Combine(Path.GetTempPath(), "zeze-corrupt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "CURRENT"), "MANIFEST-999999\n");
        try
        {
            var options = new ZezeOptions();
            options.Databases[""] = Zeze.Storage.DatabaseOptions.Parse("rocksdb:" + dir);
            var app = new Application(options);
            _ = new ModuleDemo(app);
            var e = await Assert.ThrowsAsync<Zeze.Storage.DatabaseException>(() => app.StartAsync());
            Assert.Contains(dir, e.Message);
            Assert.False(app.IsRunning);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task UnwritableDatabaseLocationIsReportedByName()
    {
        string file = Path.Combine(Path.GetTempPath(), "zeze-notadir-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, "a file, not a directory");
        try
        {
            var options = new ZezeOptions();
            options.Databases[""] = Zeze.Storage.DatabaseOptions.Parse("rocksdb:" + Path.Combine(file, "db"));
            var app = new Application(options);
            _ = new ModuleDemo(app);
            var e = await Assert.ThrowsAsync<Zeze.Storage.DatabaseException>(() => app.StartAsync());
            Assert.Contains(file, e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
