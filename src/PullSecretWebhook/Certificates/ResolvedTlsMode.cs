namespace PullSecretWebhook.Certificates;

/// <summary>The <c>Tls:Mode</c> in effect once <c>Auto</c> is resolved against the environment.</summary>
internal sealed record ResolvedTlsMode(TlsMode Mode);
