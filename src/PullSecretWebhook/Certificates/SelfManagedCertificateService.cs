using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Watching;

namespace PullSecretWebhook.Certificates;

/// <summary><c>Tls:Mode=SelfManaged</c>: serves the certificate of the shared TLS Secret. At start-up it gets (or
/// creates) it before Kestrel needs it; then it re-reads the Secret every <c>Tls:SecretPollInterval</c>, which both
/// picks up a renewal made by another replica and renews on time. A new CA bundle is published (to registration)
/// before the certificate it signs is served.</summary>
internal sealed class SelfManagedCertificateService(
    TlsSecretStore store,
    ServingCertificate serving,
    CaBundlePublisher publisher,
    IOptions<TlsOptions> options,
    TimeProvider time,
    ILogger<SelfManagedCertificateService> logger) : BackgroundService
{
    private readonly ExponentialBackoff _backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    private string? _servedThumbprint;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (KubeApiException e) when (e.IsForbidden || e.IsUnauthorized)
        {
            // Missing RBAC does not fix itself: stop with a message that says what to grant.
            throw new CertificateLoadException($"Tls:Mode SelfManaged: the server may not read or write its TLS Secret (Tls:SecretName '{options.Value.SecretName}'); check its Role: {e.Message}", e);
        }
        catch (Exception e) when (KubeApiException.IsApiFailure(e))
        {
            // The API server may be starting too; keep trying in the background. /readyz stays 503 until then.
            CertificateLog.SecretSyncFailed(logger, e.Message);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = _servedThumbprint is null ? _backoff.Next() : options.Value.SecretPollInterval;
            try
            {
                await Task.Delay(delay, time, stoppingToken);
                await RefreshAsync(stoppingToken);
                _backoff.Reset();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (KubeApiException.IsApiFailure(e) || e is CertificateLoadException)
            {
                // Keep serving what we have; the next poll tries again.
                CertificateLog.SecretSyncFailed(logger, e.Message);
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var material = await store.EnsureAsync(cancellationToken);
        if (material.Leaf.Thumbprint == _servedThumbprint)
        {
            return;
        }

        await publisher.PublishAsync(material.CaBundlePem, cancellationToken);
        serving.Set(material.Leaf, []);
        _servedThumbprint = material.Leaf.Thumbprint;
        CertificateLog.Loaded(logger, $"Secret {options.Value.SecretName}", material.Leaf.Subject, material.Leaf.NotAfter.ToUniversalTime(), material.Leaf.Thumbprint);
    }
}
