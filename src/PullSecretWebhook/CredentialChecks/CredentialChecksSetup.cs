using Microsoft.Extensions.Options;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Reconciliation.WorkLoop;

namespace PullSecretWebhook.CredentialChecks;

internal static class CredentialChecksSetup
{
    /// <summary>Credential checks (README, "Credential checks"): options validated at start-up; the loop runs as leader
    /// work of the reconciler, so only the Lease holder talks to registries.</summary>
    public static IServiceCollection AddCredentialChecks(this IServiceCollection services)
    {
        services.AddOptions<CredentialChecksOptions>().BindConfiguration(CredentialChecksOptions.Section).ValidateWith(new CredentialChecksOptionsValidator()).ValidateOnStart();
        services.AddSingleton(sp => new RegistryTransport(sp.GetRequiredService<IOptions<CredentialChecksOptions>>().Value));
        services.AddSingleton<CredentialChecker>();
        services.AddSingleton<CredentialInventory>();
        services.AddSingleton<CredentialCheckMetrics>();
        services.AddSingleton<CredentialCheckLoop>();
        services.AddSingleton<ILeaderWork>(sp => sp.GetRequiredService<CredentialCheckLoop>());
        return services;
    }
}
