using System.Text.Json.Serialization;

namespace PullSecretWebhook.Kube.Auth;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExecCredential))]
internal sealed partial class ExecJsonContext : JsonSerializerContext
{
}
