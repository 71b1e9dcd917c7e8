namespace PullSecretWebhook.Hosting;

/// <summary>Facts about where the server runs, read once at start-up.</summary>
internal sealed class ServerEnvironment
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public ServerEnvironment(string ownNamespace, bool inCluster)
    {
        OwnNamespace = ownNamespace;
        InCluster = inCluster;
    }

    /// <summary>The server's own namespace: env <c>POD_NAMESPACE</c>, else the in-cluster namespace file, else
    /// <c>default</c> (CONTRACT.md §1).</summary>
    public string OwnNamespace { get; }

    /// <summary>True when the Pod environment of a cluster is visible (service host variable and token file).</summary>
    public bool InCluster { get; }

    public static ServerEnvironment Detect(Func<string, string?> getEnvironmentVariable, string serviceAccountDirectory = ServiceAccountDirectory)
    {
        var inCluster = !string.IsNullOrEmpty(getEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
            && File.Exists(Path.Combine(serviceAccountDirectory, "token"));
        var ownNamespace = getEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } fromEnv
            ? fromEnv.Trim()
            : ReadNamespaceFile(serviceAccountDirectory) ?? "default";
        return new ServerEnvironment(ownNamespace, inCluster);
    }

    private static string? ReadNamespaceFile(string directory)
    {
        var path = Path.Combine(directory, "namespace");
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } value ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
