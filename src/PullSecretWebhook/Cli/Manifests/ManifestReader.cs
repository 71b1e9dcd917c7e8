namespace PullSecretWebhook.Cli.Manifests;

/// <summary>Reads a manifest in the format it is written in: JSON when it starts with '{' or '[' (after blank lines
/// and YAML comments), YAML otherwise (JSON documents are YAML too, but would come back as YAML).</summary>
internal static class ManifestReader
{
    public static IManifest Parse(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            return trimmed[0] is '{' or '[' ? new JsonManifest(text) : new YamlManifest(text);
        }

        return new YamlManifest(text);
    }
}
