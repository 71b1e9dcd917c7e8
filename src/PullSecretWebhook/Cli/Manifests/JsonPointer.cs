namespace PullSecretWebhook.Cli.Manifests;

/// <summary>RFC 6901 pointer segments (<c>~1</c> is '/', <c>~0</c> is '~').</summary>
internal static class JsonPointer
{
    public static IReadOnlyList<string> Segments(string pointer) =>
        [.. pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
}
