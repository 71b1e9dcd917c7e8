using System.Text.Json.Nodes;

namespace PullSecretWebhook.Admission;

/// <summary>The two add-only operations that inject <paramref name="secretName"/> into the spec at
/// <paramref name="specPointer"/>: built once and shared by every answer (they are only ever serialised).</summary>
internal sealed class InjectionOperations(string specPointer, string secretName)
{
    public string SecretName { get; } = secretName;

    /// <summary><c>imagePullSecrets</c> absent or null: add the whole list (RFC 6902 "add" replaces an explicit null).</summary>
    public PatchOperation AddList { get; } =
        PatchOperation.Add($"{specPointer}/imagePullSecrets", new JsonArray(new JsonObject { ["name"] = secretName }));

    /// <summary>A list without the target: append to it, keeping the existing entries in order.</summary>
    public PatchOperation Append { get; } =
        PatchOperation.Add($"{specPointer}/imagePullSecrets/-", new JsonObject { ["name"] = secretName });
}
