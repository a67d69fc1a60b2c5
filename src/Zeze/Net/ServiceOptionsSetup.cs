using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Zeze.Net;

/// <summary>Checks <see cref="ServiceOptions"/> when they are bound (fails the host's start with every problem listed).</summary>
public sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"Zeze service '{name}': {e}"));
    }
}

/// <summary>Binding <see cref="ServiceOptions"/> from configuration.</summary>
public static class ServiceOptionsSetup
{
    /// <summary>Reads section <c>Zeze:Services:&lt;serviceName&gt;</c> and validates it; throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static ServiceOptions Load(IConfiguration configuration, string serviceName)
    {
        var options = new ServiceOptions();
        configuration.GetSection($"{ServiceOptions.SectionPrefix}:{serviceName}").Bind(options);
        var result = new ServiceOptionsValidator().Validate(serviceName, options);
        if (result.Failed)
            throw new OptionsValidationException(serviceName, typeof(ServiceOptions), result.Failures);
        return options;
    }

    /// <summary>Registers named <see cref="ServiceOptions"/> bound to <c>Zeze:Services:&lt;serviceName&gt;</c>, validated at host start.</summary>
    public static OptionsBuilder<ServiceOptions> AddZezeServiceOptions(this IServiceCollection services, string serviceName)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>());
        return services.AddOptions<ServiceOptions>(serviceName)
            .BindConfiguration($"{ServiceOptions.SectionPrefix}:{serviceName}")
            .ValidateOnStart();
    }
}
