using System.CommandLine;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Cli;

/// <summary>Options several commands share, spelled and defaulted like the server's settings.</summary>
internal static class CliOptions
{
    public static Option<string> SecretName()
    {
        var option = new Option<string>("--secret-name")
        {
            Description = "The target Secret's name (the server's Target:SecretName).",
            DefaultValueFactory = _ => new TargetOptions().SecretName,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!System.Text.RegularExpressions.Regex.IsMatch(value, KubernetesNames.Dns1123SubdomainPattern) || value.Length > 253)
            {
                result.AddError($"--secret-name '{value}' is not a valid Secret name (a DNS-1123 subdomain)");
            }
        });
        return option;
    }

    public static Option<string> Namespace(string description) => new("--namespace", "-n") { Description = description, Required = true };

    public static Option<string?> Context() => new("--context") { Description = "The kubeconfig context to use (default: its current-context)." };

    public static Option<string?> Kubeconfig() => new("--kubeconfig") { Description = "The kubeconfig file (default: KUBECONFIG, else ~/.kube/config, else the in-cluster service account), as kubectl finds it." };

    public static Option<string?> ServerNamespace() => new("--server-namespace")
    {
        Description = "The namespace the server runs in: always excluded, and the source namespace unless --source-namespace says otherwise (default: POD_NAMESPACE, else pullsecret-webhook).",
    };

    public static Option<string[]> SourceNamespaces() => new("--source-namespace")
    {
        Description = "A namespace exported credentials are read from (repeatable; the server's Sources:Namespaces; default: the server's namespace).",
    };

    public static Option<string[]> ExcludedNamespaces() => new("--exclude-namespace")
    {
        Description = "A namespace never given credentials, beyond the always-excluded ones (repeatable; the server's ExcludedNamespaces).",
    };
}
