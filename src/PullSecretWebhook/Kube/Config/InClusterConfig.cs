using System.Net;
using PullSecretWebhook.Kube.Auth;

namespace PullSecretWebhook.Kube.Config;

/// <summary>
/// The configuration of a pod: KUBERNETES_SERVICE_HOST/PORT plus the mounted service account
/// (token, ca.crt, namespace), like client-go's rest.InClusterConfig.
/// </summary>
internal static class InClusterConfig
{
    public static bool IsAvailable(KubeEnvironment environment) =>
        !string.IsNullOrEmpty(environment.GetVariable("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(environment.GetVariable("KUBERNETES_SERVICE_PORT"));

    public static KubeClusterConfig Load(KubeEnvironment environment, TimeProvider timeProvider)
    {
        var host = environment.GetVariable("KUBERNETES_SERVICE_HOST")!;
        var port = environment.GetVariable("KUBERNETES_SERVICE_PORT")!;
        var directory = environment.ServiceAccountDirectory;
        var tokenPath = Path.Combine(directory, "token");
        var caPath = Path.Combine(directory, "ca.crt");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException($"in-cluster: KUBERNETES_SERVICE_HOST is set but the service account token {tokenPath} is missing (automountServiceAccountToken: false?)");
        }

        if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubeConfigException($"in-cluster: KUBERNETES_SERVICE_PORT '{port}' is not a port number");
        }

        // An IPv6 service IP needs brackets in a URL.
        var hostPart = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host}]"
            : host;
        if (!Uri.TryCreate($"https://{hostPart}:{portNumber}", UriKind.Absolute, out var server))
        {
            throw new KubeConfigException($"in-cluster: KUBERNETES_SERVICE_HOST '{host}' is not a host name or address");
        }

        string ca;
        try
        {
            ca = File.ReadAllText(caPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"in-cluster: cannot read the cluster CA {caPath}: {ex.Message}", ex);
        }

        return new KubeClusterConfig
        {
            Server = server,
            CertificateAuthorities = PemCertificates.LoadAuthorities(ca, $"in-cluster CA {caPath}"),
            Credentials = new TokenFileCredentialProvider(tokenPath, timeProvider),
            Namespace = environment.OwnNamespace,
            Source = $"in-cluster service account ({server})",
            InCluster = true,
        };
    }
}
