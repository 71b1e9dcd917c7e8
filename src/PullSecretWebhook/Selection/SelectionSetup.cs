using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Selection;

internal static class SelectionSetup
{
    /// <summary>Which Secret, and which namespaces: shared by the webhook and the reconciler.</summary>
    public static IServiceCollection AddSelection(this IServiceCollection services)
    {
        services.AddOptions<TargetOptions>().BindConfiguration(TargetOptions.Section).ValidateWith(new TargetOptionsValidator()).ValidateOnStart();
        services.AddOptions<NamespaceOptions>().BindConfiguration("").ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<NamespaceOptions>, NamespaceOptionsValidator>();
        // The process environment is read through configuration (environment variables are part of it), so that
        // POD_NAMESPACE, KUBECONFIG and HOME can be set like any setting, and tests can isolate a host from the machine.
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            return new KubeEnvironment(name => configuration[name], configuration["HOME"] ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        });
        services.AddSingleton<NamespaceExclusion>();
        return services;
    }
}
