using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Selection;

internal static class SelectionSetup
{
    /// <summary>Which Secret, and which namespaces: shared by the webhook and the reconciler.</summary>
    public static IServiceCollection AddSelection(this IServiceCollection services)
    {
        services.AddOptions<TargetOptions>().BindConfiguration(TargetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NamespaceOptions>().BindConfiguration("").ValidateOnStart();
        services.AddSingleton(_ => ServerEnvironment.Detect(Environment.GetEnvironmentVariable));
        services.AddSingleton<NamespaceExclusion>();
        return services;
    }
}
