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

    /// <summary><c>--source-secret NS/NAME[:to-namespaces=GLOBS][:to-namespace-selector=SELECTOR]</c>: one entry of
    /// the server's <c>Sources:Secrets</c> (checked as the server checks it, when the settings are composed).</summary>
    public static Option<string[]> SourceSecrets()
    {
        var option = new Option<string[]>("--source-secret")
        {
            Description = "A Secret exported without the export label (repeatable; the server's Sources:Secrets): NS/NAME, optionally followed by :to-namespaces=GLOBS and :to-namespace-selector=SELECTOR for the scope the setting gives (else the Secret's own annotations).",
        };
        option.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (NamedSource(value) is null)
                {
                    result.AddError($"--source-secret '{value}' is not NS/NAME[:to-namespaces=GLOBS][:to-namespace-selector=SELECTOR]");
                }
            }
        });
        return option;
    }

    /// <summary>A <c>--source-secret</c> value as the server's setting entry, or null when it does not parse.</summary>
    public static Reconciliation.NamedSourceOptions? NamedSource(string value)
    {
        var parts = value.Split(':');
        if (parts[0].Split('/') is not [{ Length: > 0 } ns, { Length: > 0 } name])
        {
            return null;
        }

        var entry = new Reconciliation.NamedSourceOptions { Namespace = ns, Name = name };
        foreach (var modifier in parts.Skip(1))
        {
            switch (modifier.Split('=', 2))
            {
                case ["to-namespaces", var globs] when entry.ToNamespaces is null:
                    entry.ToNamespaces = globs;
                    break;
                case ["to-namespace-selector", var selector] when entry.ToNamespaceSelector is null:
                    entry.ToNamespaceSelector = selector;
                    break;
                default:
                    return null;
            }
        }

        return entry;
    }

    public static Option<string[]> ExcludedNamespaces() => new("--exclude-namespace")
    {
        Description = "A namespace never given credentials, beyond the always-excluded ones (repeatable; the server's ExcludedNamespaces).",
    };
}
