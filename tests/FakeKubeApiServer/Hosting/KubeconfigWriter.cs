using System.Text;

namespace FakeKubeApiServer.Hosting;

/// <summary>
/// Writes a kubeconfig (https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/)
/// with one cluster, user and context, all named after the context.
/// </summary>
internal static class KubeconfigWriter
{
    public static string Write(string path, Uri server, string? caPem, string token, string contextName) =>
        WriteConfig(path, server, caPem, contextName, $"    token: \"{token}\"");

    public static string Write(string path, Uri server, string? caPem, (string CertPem, string KeyPem) certificate, string contextName) =>
        WriteConfig(path, server, caPem, contextName,
            $"    client-certificate-data: {Base64(certificate.CertPem)}\n    client-key-data: {Base64(certificate.KeyPem)}");

    /// <summary>
    /// The files a Pod's service account mount holds (token, ca.crt, namespace), for testing
    /// in-cluster configuration: https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
    /// </summary>
    public static string WriteServiceAccountFiles(string directory, string token, string? caPem, string ns)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "token"), token);
        File.WriteAllText(Path.Combine(directory, "namespace"), ns);
        if (caPem is not null)
        {
            File.WriteAllText(Path.Combine(directory, "ca.crt"), caPem);
        }

        return directory;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private static string WriteConfig(string path, Uri server, string? caPem, string contextName, string credentials)
    {
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server.GetLeftPart(UriPartial.Authority)}");
        if (caPem is not null)
        {
            text.AppendLine($"    certificate-authority-data: {Base64(caPem)}");
        }

        text.AppendLine("users:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  user:")
            .AppendLine(credentials)
            .AppendLine("contexts:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {contextName}")
            .AppendLine($"    user: {contextName}")
            .AppendLine($"current-context: {contextName}");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }
}
