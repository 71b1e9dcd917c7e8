using System.Text.Json.Nodes;

namespace PullSecretWebhook.Credentials;

/// <summary>One registry key of a credential payload: the decoded username and password the kubelet would use, and
/// the entry exactly as written (every field, for a lossless merge). <see cref="ToString"/> never shows secrets.</summary>
internal sealed class RegistryEntry(string key, string username, string password, JsonObject raw)
{
    /// <summary>The registry key as written (<c>registry.example.com</c>, <c>https://index.docker.io/v1/</c>, <c>host/path</c>).</summary>
    public string Key { get; } = key;

    public string Username { get; } = username;

    public string Password { get; } = password;

    /// <summary>The entry object as found in the source; copied into merged targets unchanged.</summary>
    public JsonObject Raw { get; } = raw;

    public override string ToString() => $"{Key} (user {Username})";
}
