using Microsoft.Extensions.Options;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Registration;

internal static class RegistrationSetup
{
    /// <summary>Self-registration of the MutatingWebhookConfiguration, when <c>Registration:Enabled</c> (default: in a
    /// cluster). Switched off, nothing here touches the API, and <c>deploy/</c> carries the configuration instead.</summary>
    public static IServiceCollection AddRegistration(this IServiceCollection services)
    {
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section).ValidateWith(new RegistrationOptionsValidator()).ValidateOnStart();
        services.AddSingleton<WebhookConfigurationBuilder>();
        services.AddSingleton<WebhookRegistrar>();
        services.AddSingleton<IHostedService>(sp => IsEnabled(sp) ? sp.GetRequiredService<WebhookRegistrar>() : Disabled(sp));
        services.AddSingleton<ICaBundleSubscriber>(sp => IsEnabled(sp) ? sp.GetRequiredService<WebhookRegistrar>() : Disabled(sp));
        return services;
    }

    private static bool IsEnabled(IServiceProvider services)
    {
        var state = services.GetRequiredService<KubeConnectionState>();
        var enabled = services.GetRequiredService<IOptions<RegistrationOptions>>().Value.Enabled;
        if (enabled == true && !state.IsConnected)
        {
            throw new SettingsException($"Registration:Enabled is true but there is no Kubernetes connection ({state.Description}).");
        }

        return enabled ?? ClusterPresence.IsInCluster(state, services.GetRequiredService<KubeEnvironment>());
    }

    private static DisabledRegistration Disabled(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<RegistrationOptions>>().Value.Enabled is null ? "not running in a cluster" : "Registration:Enabled is false",
        services.GetRequiredService<ILogger<DisabledRegistration>>());

    private sealed class DisabledRegistration(string reason, ILogger<DisabledRegistration> logger) : IHostedService, ICaBundleSubscriber
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            RegistrationLog.Disabled(logger, reason);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CaBundleChangedAsync(byte[]? caBundle, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
