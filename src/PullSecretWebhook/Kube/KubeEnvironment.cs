namespace PullSecretWebhook.Kube;

/// <summary>
/// The process environment as the Kubernetes side sees it (variables, home directory, service
/// account directory), injectable so tests can fake a pod without being in one.
/// </summary>
internal sealed class KubeEnvironment(
    Func<string, string?> getVariable,
    string? homeDirectory,
    string serviceAccountDirectory = KubeEnvironment.DefaultServiceAccountDirectory)
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public string? HomeDirectory { get; } = string.IsNullOrEmpty(homeDirectory) ? null : homeDirectory;

    public string ServiceAccountDirectory { get; } = serviceAccountDirectory;

    /// <summary>
    /// The namespace this server runs in: POD_NAMESPACE (downward API), else the service account's
    /// namespace file, else <c>default</c> (README, "Labels and annotations" and "Settings").
    /// </summary>
    public string OwnNamespace
    {
        get
        {
            var fromEnv = GetVariable("POD_NAMESPACE");
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                return fromEnv.Trim();
            }

            try
            {
                var fromFile = File.ReadAllText(Path.Combine(ServiceAccountDirectory, "namespace")).Trim();
                if (fromFile.Length > 0)
                {
                    return fromFile;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not in a pod (or no service account mounted): fall through to the default.
            }

            return "default";
        }
    }

    /// <summary>
    /// A leader-election identity unique per process: the pod name (or host name) plus a random
    /// suffix, as client-go examples do, so a restarted pod never mistakes itself for its predecessor.
    /// </summary>
    public string CreateIdentity()
    {
        var name = GetVariable("POD_NAME");
        if (string.IsNullOrWhiteSpace(name))
        {
            name = Environment.MachineName;
        }

        return $"{name.Trim()}_{Guid.NewGuid().ToString("N")[..8]}";
    }

    public static KubeEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public string? GetVariable(string name) => getVariable(name);
}
