using Microsoft.Extensions.DependencyInjection.Extensions;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Admission;

internal static class AdmissionSetup
{
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section).ValidateWith(new AdmissionOptionsValidator()).ValidateOnStart();
        services.AddOptions<InjectionOptions>().BindConfiguration(InjectionOptions.Section).ValidateOnStart();
        services.AddHostedService<InjectionModeReporter>();
        // Without a cluster connection nothing is known about namespaces; AddReconciliation supplies the caches.
        services.TryAddSingleton<INamespaceFactsSource, UnknownNamespaceFacts>();
        services.AddSingleton<PodMutator>();
        services.AddSingleton<AdmissionEndpoint>();
        return services;
    }

    public static WebApplication MapAdmission(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<AdmissionEndpoint>();
        app.MapPost("/mutate", endpoint.HandleAsync);
        return app;
    }
}
