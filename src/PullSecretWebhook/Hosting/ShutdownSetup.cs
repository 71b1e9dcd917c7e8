using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Hosting;

internal static class ShutdownSetup
{
    /// <summary>Graceful shutdown on SIGTERM: readiness off at once, a drain delay, then a bounded stop.</summary>
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        services.AddSingleton<ShutdownState>();
        services.AddHostedService<ShutdownDrain>();
        return services;
    }
}
