using System.Security.Cryptography.X509Certificates;
using System.Text;
using PullSecretWebhook.Kube.Auth;

namespace PullSecretWebhook.Kube.Config;

/// <summary>Turns a merged kubeconfig plus an optional context override into a <see cref="KubeClusterConfig"/>.</summary>
internal static class KubeConfigResolver
{
    public static KubeClusterConfig Resolve(MergedKubeConfig config, string? contextOverride, TimeProvider timeProvider)
    {
        var files = string.Join(", ", config.Files);
        var contextName = string.IsNullOrEmpty(contextOverride) ? config.CurrentContext : contextOverride;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeConfigException($"kubeconfig {files}: no current-context is set; set one (kubectl config use-context) or choose one with Kube:Context");
        }

        if (!config.Contexts.TryGetValue(contextName, out var context))
        {
            var source = string.IsNullOrEmpty(contextOverride) ? $"current-context of {config.CurrentContextFile}" : "Kube:Context";
            throw new KubeConfigException($"kubeconfig {files}: context '{contextName}' ({source}) is not defined");
        }

        var clusterName = context.Entry.Cluster;
        if (string.IsNullOrEmpty(clusterName))
        {
            throw new KubeConfigException($"kubeconfig {context.File}: context '{contextName}' names no cluster");
        }

        if (!config.Clusters.TryGetValue(clusterName, out var cluster))
        {
            throw new KubeConfigException($"kubeconfig {files}: cluster '{clusterName}' (context '{contextName}') is not defined");
        }

        KubeConfigDocument.UserEntry? user = null;
        var userName = context.Entry.User;
        if (!string.IsNullOrEmpty(userName))
        {
            if (!config.Users.TryGetValue(userName, out var userOrigin))
            {
                throw new KubeConfigException($"kubeconfig {files}: user '{userName}' (context '{contextName}') is not defined");
            }

            user = userOrigin.Entry;
        }

        var c = cluster.Entry;
        var where = $"kubeconfig {cluster.File}: cluster '{clusterName}'";
        if (string.IsNullOrWhiteSpace(c.Server))
        {
            throw new KubeConfigException($"{where} has no server");
        }

        if (!Uri.TryCreate(c.Server, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeConfigException($"{where}: server '{c.Server}' is not an http(s) URL");
        }

        var authorities = LoadAuthorities(c, where);
        if (authorities is not null && c.InsecureSkipTlsVerify)
        {
            throw new KubeConfigException($"{where}: insecure-skip-tls-verify cannot be combined with a certificate authority");
        }

        var clusterInfo = new ExecClusterInfo
        {
            Server = server.ToString(),
            TlsServerName = c.TlsServerName,
            InsecureSkipTlsVerify = c.InsecureSkipTlsVerify,
            CertificateAuthorityData = authorities is null ? null : Encoding.ASCII.GetBytes(ExportPem(authorities)),
        };

        return new KubeClusterConfig
        {
            Server = server,
            CertificateAuthorities = authorities,
            InsecureSkipTlsVerify = c.InsecureSkipTlsVerify,
            TlsServerName = string.IsNullOrEmpty(c.TlsServerName) ? null : c.TlsServerName,
            Credentials = user is null ? new StaticCredentialProvider(KubeCredentials.None) : Credentials(userName!, user, clusterInfo, timeProvider),
            Namespace = string.IsNullOrEmpty(context.Entry.Namespace) ? null : context.Entry.Namespace,
            Source = $"kubeconfig {files} (context '{contextName}')",
        };
    }

    private static X509Certificate2Collection? LoadAuthorities(KubeConfigDocument.ClusterEntry cluster, string where)
    {
        // As in client-go, inline data wins over a file path when both are present.
        if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData))
        {
            return PemCertificates.LoadAuthorities(DecodeBase64(cluster.CertificateAuthorityData, $"{where}: certificate-authority-data"), $"{where}: certificate-authority-data");
        }

        if (!string.IsNullOrEmpty(cluster.CertificateAuthority))
        {
            return PemCertificates.LoadAuthorities(ReadFile(cluster.CertificateAuthority, $"{where}: certificate-authority"), $"{where}: certificate-authority {cluster.CertificateAuthority}");
        }

        return null;
    }

    private static KubeCredentialProvider Credentials(
        string userName, KubeConfigDocument.UserEntry user, ExecClusterInfo clusterInfo, TimeProvider timeProvider)
    {
        var where = $"user '{userName}'";
        if (user.AuthProvider is not null)
        {
            throw new KubeConfigException($"{where} uses an auth-provider, which is not supported (client-go removed them too); use an exec credential plugin");
        }

        if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
        {
            throw new KubeConfigException($"{where} uses basic authentication (username/password), which Kubernetes no longer supports");
        }

        var hasToken = !string.IsNullOrEmpty(user.Token) || !string.IsNullOrEmpty(user.TokenFile);
        if (hasToken && user.Exec is not null)
        {
            throw new KubeConfigException($"{where} sets both a token and an exec plugin; only one authentication method is allowed");
        }

        var certificate = ClientCertificate(user, where);
        if (user.Exec is not null)
        {
            return new ExecCredentialProvider(ExecSettings(userName, user.Exec), clusterInfo, timeProvider);
        }

        // kubeconfig's documented precedence: token over tokenFile.
        if (!string.IsNullOrEmpty(user.Token))
        {
            return new StaticCredentialProvider(new KubeCredentials(user.Token, certificate));
        }

        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            return new TokenFileCredentialProvider(user.TokenFile, timeProvider, certificate);
        }

        return new StaticCredentialProvider(new KubeCredentials(null, certificate));
    }

    private static X509Certificate2? ClientCertificate(KubeConfigDocument.UserEntry user, string where)
    {
        var certificate = Pem(user.ClientCertificateData, user.ClientCertificate, $"{where}: client-certificate");
        var key = Pem(user.ClientKeyData, user.ClientKey, $"{where}: client-key");
        return (certificate, key) switch
        {
            (null, null) => null,
            (not null, null) => throw new KubeConfigException($"{where} has a client certificate but no client-key or client-key-data"),
            (null, not null) => throw new KubeConfigException($"{where} has a client key but no client-certificate or client-certificate-data"),
            _ => PemCertificates.LoadClientCertificate(certificate, key, where),
        };
    }

    private static string? Pem(string? data, string? path, string field)
    {
        if (!string.IsNullOrEmpty(data))
        {
            return DecodeBase64(data, field + "-data");
        }

        return string.IsNullOrEmpty(path) ? null : ReadFile(path, field);
    }

    private static ExecPluginSettings ExecSettings(string userName, KubeConfigDocument.ExecEntry exec)
    {
        var where = $"user '{userName}': exec";
        if (string.IsNullOrWhiteSpace(exec.Command))
        {
            throw new KubeConfigException($"{where} has no command");
        }

        if (exec.ApiVersion is not (ExecPluginSettings.V1 or ExecPluginSettings.V1Beta1))
        {
            throw new KubeConfigException($"{where}: apiVersion '{exec.ApiVersion}' is not supported (use {ExecPluginSettings.V1} or {ExecPluginSettings.V1Beta1})");
        }

        if (string.Equals(exec.InteractiveMode, "Always", StringComparison.Ordinal))
        {
            throw new KubeConfigException($"{where}: interactiveMode Always needs a terminal, which a server does not have");
        }

        var env = new List<KeyValuePair<string, string>>();
        foreach (var variable in exec.Env ?? [])
        {
            if (string.IsNullOrEmpty(variable.Name))
            {
                throw new KubeConfigException($"{where}: an env entry has no name");
            }

            env.Add(new(variable.Name, variable.Value ?? string.Empty));
        }

        return new ExecPluginSettings(userName, exec.Command, exec.Args ?? [], env, exec.ApiVersion, exec.InstallHint, exec.ProvideClusterInfo);
    }

    private static string DecodeBase64(string data, string field)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data.Trim()));
        }
        catch (FormatException ex)
        {
            throw new KubeConfigException($"{field} is not valid base64", ex);
        }
    }

    private static string ReadFile(string path, string field)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{field}: cannot read {path}: {ex.Message}", ex);
        }
    }

    private static string ExportPem(X509Certificate2Collection certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));
}
