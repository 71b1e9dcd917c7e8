using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Selection;

internal static class SelectionSetup
{
    /// <summary>Which Secret, and which namespaces: shared by the webhook and the reconciler.</summary>
    public static IServiceCollection AddSelection(this IServiceCollection services)
    {
        services.AddOptions<TargetOptions>().BindConfiguration(TargetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NamespaceOptions>().BindConfiguration("").ValidateOnStart();
        // POD_NAMESPACE comes through configuration (environment variables are part of it), so it can be set like any setting.
        services.AddSingleton(sp => ServerEnvironment.Detect(name => sp.GetRequiredService<IConfiguration>()[name]));
        services.AddSingleton<NamespaceExclusion>();
        return services;
    }
}
