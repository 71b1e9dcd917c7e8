namespace PullSecretWebhook.Admission;

/// <summary>The shape of a Pod spec's <c>imagePullSecrets</c>, which decides the patch (README, "What the webhook
/// does").</summary>
internal enum PullSecretsField
{
    /// <summary>Absent or <c>null</c>: the patch adds the whole list (RFC 6902 "add" replaces an explicit null).</summary>
    Absent,

    /// <summary>A list: the patch appends to it, unless an entry already names the target.</summary>
    List,

    /// <summary>Anything else: no add-only patch can apply; the API server's validation judges the Pod.</summary>
    NotAList,
}
