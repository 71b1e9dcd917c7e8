namespace PullSecretWebhook.Certificates;

/// <summary>Told when the CA bundle clients must trust changes (webhook registration puts it in <c>caBundle</c>).
/// Called before the matching certificate is served, so that the API server can trust a new CA before it meets it;
/// an implementation must not throw and must bound how long it makes the caller wait.</summary>
internal interface ICaBundleSubscriber
{
    /// <param name="caBundle">PEM certificates; null when the mode knows no CA (the API server then uses its own roots).</param>
    /// <param name="cancellationToken">Start-up or shutdown.</param>
    Task CaBundleChangedAsync(byte[]? caBundle, CancellationToken cancellationToken);
}
