namespace PullSecretWebhook.Kube.Models;

/// <summary>meta/v1 MicroTime (Lease times, Event eventTime). The API server parses it with Go's RFC3339Micro layout,
/// which demands exactly six fractional digits, so the default System.Text.Json format (up to seven, trailing zeros
/// trimmed) would be rejected.</summary>
internal sealed class KubeMicroTimeConverter() : KubeTimeFormat("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'");
