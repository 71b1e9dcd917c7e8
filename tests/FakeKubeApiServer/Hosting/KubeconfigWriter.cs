using System.Text;

namespace FakeKubeApiServer.Hosting;

/// <summary>
/// Writes a kubeconfig (https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/)
/// with one cluster, user and context, all named after the context.
/// </summary>
internal static class KubeconfigWriter
{
    public static string Write(string path, Uri server, string? caPem, string token, string contextName)
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
            text.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}");
        }

        text.AppendLine("users:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  user:")
            .AppendLine($"    token: \"{token}\"")
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
