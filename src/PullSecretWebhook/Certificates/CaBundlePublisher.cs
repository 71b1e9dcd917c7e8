namespace PullSecretWebhook.Certificates;

/// <summary>Hands a changed CA bundle to every <see cref="ICaBundleSubscriber"/>; the first call (start-up) always
/// goes through, later ones only when the bundle differs.</summary>
internal sealed class CaBundlePublisher(IEnumerable<ICaBundleSubscriber> subscribers) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _published;
    private bool _any;

    public async Task PublishAsync(byte[]? caBundle, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_any && (_published ?? []).AsSpan().SequenceEqual(caBundle ?? []))
            {
                return;
            }

            foreach (var subscriber in subscribers)
            {
                await subscriber.CaBundleChangedAsync(caBundle, cancellationToken);
            }

            _published = caBundle;
            _any = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
