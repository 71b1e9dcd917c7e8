namespace PullSecretWebhook.Hosting;

/// <summary>Whether the server is on its way out; <c>/readyz</c> answers 503 from the first moment of it, so that
/// Kubernetes stops routing new requests here while the drain lets in-flight ones finish.</summary>
internal sealed class ShutdownState
{
    private volatile bool _stopping;

    public ShutdownState(IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStopping.Register(() => _stopping = true);

    public bool IsStopping => _stopping;

    public void MarkStopping() => _stopping = true;
}
