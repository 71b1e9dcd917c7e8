using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Certificates;

/// <summary>Reads, creates and renews the self-managed TLS Secret so that every replica serves the same certificate.
/// Races between replicas are settled by the API server: a create that finds the name taken (409 AlreadyExists) or an
/// update that finds the Secret changed (409 Conflict) means another replica won, and its Secret is read and used.</summary>
internal sealed class TlsSecretStore(
    IKubernetes client,
    IOptions<TlsOptions> options,
    KubeEnvironment environment,
    TimeProvider time,
    ILogger<TlsSecretStore> logger)
{
    private const int MaxAttempts = 5;
    private readonly TlsOptions _options = options.Value;
    private readonly string _namespace = environment.OwnNamespace;

    public IReadOnlyList<string> DnsNames => CertificateIssuer.ServiceDnsNames(_options.ServiceName, _namespace);

    /// <summary>The certificate to serve: the Secret's, created or renewed first when needed.</summary>
    public async Task<TlsSecretMaterial> EnsureAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var secret = await ReadAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (secret is null)
            {
                var created = TlsSecretMaterial.Create(DnsNames, _options, now);
                try
                {
                    await client.CoreV1.CreateNamespacedSecretAsync(NewSecret(created), _namespace, cancellationToken: cancellationToken);
                    CertificateLog.SecretCreated(logger, _namespace, _options.SecretName, created.Leaf.NotAfter.ToUniversalTime(), created.Ca.NotAfter.ToUniversalTime());
                    return created;
                }
                catch (KubeApiException e) when (e.IsAlreadyExists)
                {
                    // Another replica created it first: use theirs, so that all serve the same certificate.
                    CertificateLog.SecretRaceLost(logger, _namespace, _options.SecretName);
                    continue;
                }
            }

            var ours = secret.Metadata.LabelsView()?.GetValueOrDefault(WellKnown.ManagedByLabel) == WellKnown.ManagedByValue;
            if (!TlsSecretMaterial.TryRead(secret.DataView(), now, out var material, out var problem))
            {
                if (!ours)
                {
                    throw new CertificateLoadException($"Tls:SecretName: Secret {_namespace}/{_options.SecretName} is not managed by pullsecret-webhook (no {WellKnown.ManagedByLabel} label) and holds no usable certificate ({problem}); it is left alone. Delete it or choose another Tls:SecretName.");
                }

                CertificateLog.SecretInvalid(logger, _namespace, _options.SecretName, problem);
                var replacement = TlsSecretMaterial.Create(DnsNames, _options, now);
                if (await TryReplaceAsync(secret, replacement, cancellationToken))
                {
                    return replacement;
                }

                continue;
            }

            if (material!.Due(DnsNames, _options.RenewBefore, now) is not var (reason, newCa))
            {
                return material;
            }

            if (!ours)
            {
                CertificateLog.SecretNotOurs(logger, _namespace, _options.SecretName, reason);
                return material;
            }

            var renewed = material.Renew(DnsNames, _options, now, newCa);
            if (await TryReplaceAsync(secret, renewed, cancellationToken))
            {
                CertificateLog.SecretRenewed(logger, _namespace, _options.SecretName, reason, newCa, renewed.Leaf.NotAfter.ToUniversalTime());
                return renewed;
            }
        }

        throw new KubeApiException($"Secret {_namespace}/{_options.SecretName} changed under every one of {MaxAttempts} attempts to settle it");
    }

    /// <summary>Update in place (never delete-then-create: that would leave a moment with no Secret); false when
    /// another replica changed it first.</summary>
    private async Task<bool> TryReplaceAsync(V1Secret current, TlsSecretMaterial material, CancellationToken cancellationToken)
    {
        // A patch of our label and the certificate's keys: other data keys, labels and unknown fields stay;
        // optimistic concurrency: 409 if another replica wrote since this one read.
        var patch = new SecretPatch(current).SetLabel(WellKnown.ManagedByLabel, WellKnown.ManagedByValue);
        foreach (var (key, value) in material.ToData())
        {
            patch.SetData(key, value);
        }

        try
        {
            await client.CoreV1.PatchNamespacedSecretAsync(patch.ToPatch(), _options.SecretName, _namespace, cancellationToken: cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            CertificateLog.SecretRaceLost(logger, _namespace, _options.SecretName);
            return false;
        }
    }

    private Task<V1Secret?> ReadAsync(CancellationToken cancellationToken) =>
        KubeApiException.OrNullIfNotFound(client.CoreV1.ReadNamespacedSecretAsync(_options.SecretName, _namespace, cancellationToken: cancellationToken));

    private V1Secret NewSecret(TlsSecretMaterial material) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = _options.SecretName,
            NamespaceProperty = _namespace,
            Labels = new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue },
        },
        Type = "kubernetes.io/tls",
        Data = material.ToData(),
    };
}
