using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Kube.Config;

/// <summary>Reads kubeconfig files and merges them (see <see cref="MergedKubeConfig"/>).</summary>
internal static class KubeConfigReader
{
    public static MergedKubeConfig ReadAndMerge(IEnumerable<string> paths)
    {
        var merged = new MergedKubeConfig();
        foreach (var path in paths)
        {
            var document = Read(path);
            merged.Files.Add(path);
            if (merged.CurrentContext is null && !string.IsNullOrEmpty(document.CurrentContext))
            {
                merged.CurrentContext = document.CurrentContext;
                merged.CurrentContextFile = path;
            }

            foreach (var named in document.Clusters ?? [])
            {
                AddFirst(merged.Clusters, named.Name, named.Cluster, path, "cluster");
            }

            foreach (var named in document.Contexts ?? [])
            {
                AddFirst(merged.Contexts, named.Name, named.Context, path, "context");
            }

            foreach (var named in document.Users ?? [])
            {
                AddFirst(merged.Users, named.Name, named.User, path, "user");
            }
        }

        return merged;
    }

    private static KubeConfigDocument Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"kubeconfig {path}: cannot read: {ex.Message}", ex);
        }

        KubeConfigDocument? document;
        try
        {
            // As client-go reads it (sigs.k8s.io/yaml): the first YAML document becomes JSON, then typed fields are read
            // from that, so a quoted "true" is not a boolean and a number is not a string, for us as for kubectl.
            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            document = yaml.Documents.Count == 0
                ? null
                : YamlJson.ToJson(yaml.Documents[0].RootNode).Deserialize(KubeConfigJsonContext.Default.KubeConfigDocument);
        }
        catch (YamlException ex)
        {
            throw new KubeConfigException($"kubeconfig {path}: not valid kubeconfig YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new KubeConfigException($"kubeconfig {path}: not valid kubeconfig: {FieldOf(ex)} has the wrong type (a number, boolean, string, list or mapping where kubeconfig has another)", ex);
        }

        document ??= new KubeConfigDocument();
        ResolvePaths(document, Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/");
        return document;
    }

    private static void AddFirst<T>(
        Dictionary<string, MergedKubeConfig.Origin<T>> target, string? name, T? entry, string path, string what)
        where T : class
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException($"kubeconfig {path}: a {what} entry has no name");
        }

        if (entry is null)
        {
            throw new KubeConfigException($"kubeconfig {path}: {what} '{name}' has no '{what}' section");
        }

        target.TryAdd(name, new MergedKubeConfig.Origin<T>(entry, path));
    }

    /// <summary>Relative paths in a kubeconfig are relative to that file's directory, like kubectl.</summary>
    private static void ResolvePaths(KubeConfigDocument document, string directory)
    {
        foreach (var cluster in document.Clusters ?? [])
        {
            if (cluster.Cluster is { } c)
            {
                c.CertificateAuthority = Resolve(c.CertificateAuthority, directory);
            }
        }

        foreach (var user in document.Users ?? [])
        {
            if (user.User is not { } u)
            {
                continue;
            }

            u.ClientCertificate = Resolve(u.ClientCertificate, directory);
            u.ClientKey = Resolve(u.ClientKey, directory);
            u.TokenFile = Resolve(u.TokenFile, directory);

            // client-go resolves a plugin command only when it names a path; a bare name is looked up on PATH.
            if (u.Exec is { Command: { } command } exec && command.Contains('/', StringComparison.Ordinal))
            {
                exec.Command = Resolve(command, directory);
            }
        }
    }

    /// <summary>The field a type mismatch is at, as kubectl names it: <c>clusters[0].cluster.insecure-skip-tls-verify</c>.</summary>
    private static string FieldOf(JsonException ex) =>
        ex.Path is { Length: > 2 } jsonPath ? $"'{jsonPath[2..].Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal)}'" : "the document";

    private static string? Resolve(string? path, string directory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));
}
