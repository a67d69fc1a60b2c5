using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zeze.Storage;

namespace Zeze.Hosting;

/// <summary>Generic Host integration: <c>builder.Services.AddZeze(builder.Configuration).AddModule&lt;ModuleBank&gt;()</c>.</summary>
public static class ZezeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="Application"/> with options bound from <paramref name="configuration"/>'s section
    /// <paramref name="sectionName"/> (appsettings.json, environment variables <c>Zeze__ServerId</c>, command line
    /// <c>--Zeze:ServerId</c>), validated when the host starts; the application starts and stops with the host.
    /// </summary>
    public static ZezeBuilder AddZeze(this IServiceCollection services, IConfiguration? configuration = null,
        Action<ZezeOptions>? configure = null, string sectionName = ZezeOptions.SectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ZezeOptions>();
        if (configuration != null) options.Bind(configuration.GetSection(sectionName));
        if (configure != null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZezeOptions>, ZezeOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DatabaseFactory(sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new Application(
            sp.GetRequiredService<IOptions<ZezeOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<IMeterFactory>(),
            sp.GetRequiredService<DatabaseFactory>()));
        services.AddHostedService<ZezeHostedService>();
        return new ZezeBuilder(services);
    }
}

/// <summary>Adds modules and database providers to a Zeze registration.</summary>
public sealed class ZezeBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>
    /// Registers a generated module (its constructor takes the <see cref="Application"/>, plus any other services).
    /// Modules are created before the application starts, so their tables are registered in time.
    /// </summary>
    public ZezeBuilder AddModule<TModule>() where TModule : AppModule
    {
        Services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<TModule>(sp, sp.GetRequiredService<Application>()));
        Services.AddSingleton<AppModule>(sp => sp.GetRequiredService<TModule>());
        return this;
    }

    /// <summary>Registers database providers (for example <c>f =&gt; f.AddPostgres()</c> from Zeze.Storage.Postgres).</summary>
    public ZezeBuilder ConfigureDatabases(Action<DatabaseFactory> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddSingleton<IConfigureDatabaseFactory>(new ConfigureDatabaseFactory(configure));
        return this;
    }
}

internal interface IConfigureDatabaseFactory
{
    void Configure(DatabaseFactory factory);
}

internal sealed class ConfigureDatabaseFactory(Action<DatabaseFactory> configure) : IConfigureDatabaseFactory
{
    public void Configure(DatabaseFactory factory) => configure(factory);
}

/// <summary>Validates <see cref="ZezeOptions"/> when the host starts, with messages naming the setting.</summary>
internal sealed class ZezeOptionsValidator : IValidateOptions<ZezeOptions>
{
    public ValidateOptionsResult Validate(string? name, ZezeOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Starts the application (after creating the registered modules) with the host, and stops it with the host.</summary>
internal sealed class ZezeHostedService(IServiceProvider services, Application app) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var configure in services.GetServices<IConfigureDatabaseFactory>()) configure.Configure(app.DatabaseFactory);
        _ = services.GetServices<AppModule>().ToList(); // constructing a module registers its tables
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => app.StopAsync(cancellationToken);
}
