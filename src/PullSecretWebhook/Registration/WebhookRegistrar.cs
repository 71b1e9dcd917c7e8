using System.Text.Json;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Kube.Client;
using PullSecretWebhook.Kube.Models;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Registration;

/// <summary>Keeps the server's MutatingWebhookConfiguration as <see cref="WebhookConfigurationBuilder"/> describes it,
/// at start-up and after every CA bundle change. Read-modify-write with the resourceVersion read (409 → read again),
/// changing only our own webhook entry: other webhooks, labels, annotations and fields this code does not model
/// survive. Deleting the configuration is the documented emergency stop, so it is created only when it is absent at
/// start-up; one deleted later is logged and left alone.</summary>
internal sealed class WebhookRegistrar(
    KubeClient client,
    WebhookConfigurationBuilder builder,
    TimeProvider time,
    ILogger<WebhookRegistrar> logger) : BackgroundService, ICaBundleSubscriber
{
    /// <summary>How long a certificate change waits for registration before it is served anyway.</summary>
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(10);

    private const int MaxAttempts = 5;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _applying = new(1, 1);
    private readonly ExponentialBackoff _backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _caBundle;
    private long _version;
    private long _appliedVersion;
    private bool _startupDone;

    public async Task CaBundleChangedAsync(byte[]? caBundle, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _caBundle = caBundle;
            _version++;
        }

        // Applied now, so that the API server trusts a new CA before the certificate it signs is served; bounded,
        // and retried by ExecuteAsync when it fails.
        using var timeout = new CancellationTokenSource(ApplyTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await TryApplyAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            RegistrationLog.Failed(logger, builder.ConfigurationName, $"no answer within {ApplyTimeout}");
        }

        Volatile.Read(ref _changed).TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var changed = Volatile.Read(ref _changed);
                if (IsPending)
                {
                    var delay = _backoff.Next();
                    if (!await TryApplyAsync(stoppingToken))
                    {
                        await Task.Delay(delay, time, stoppingToken);
                    }

                    continue;
                }

                await changed.Task.WaitAsync(stoppingToken);
                Volatile.Write(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the configuration stays as it is.
        }
    }

    public override void Dispose()
    {
        _applying.Dispose();
        base.Dispose();
    }

    private bool IsPending
    {
        get
        {
            lock (_lock)
            {
                return _appliedVersion < _version;
            }
        }
    }

    /// <summary>Applies the latest bundle unless it already is; false when the API call failed (logged).</summary>
    private async Task<bool> TryApplyAsync(CancellationToken cancellationToken)
    {
        await _applying.WaitAsync(cancellationToken);
        try
        {
            byte[]? caBundle;
            long version;
            lock (_lock)
            {
                (caBundle, version) = (_caBundle, _version);
                if (_appliedVersion >= version)
                {
                    return true;
                }
            }

            await ApplyAsync(caBundle, cancellationToken);
            lock (_lock)
            {
                _appliedVersion = Math.Max(_appliedVersion, version);
            }

            _backoff.Reset();
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            RegistrationLog.Failed(logger, builder.ConfigurationName, e.Message);
            return false;
        }
        finally
        {
            _applying.Release();
        }
    }

    private async Task ApplyAsync(byte[]? caBundle, CancellationToken cancellationToken)
    {
        var name = builder.ConfigurationName;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await client.GetAsync(KubeResources.MutatingWebhookConfigurations, name, cancellationToken: cancellationToken);
            if (existing is null)
            {
                if (_startupDone)
                {
                    RegistrationLog.DeletedNotRecreated(logger, name);
                    return;
                }

                try
                {
                    await client.CreateAsync(KubeResources.MutatingWebhookConfigurations, builder.BuildConfiguration(caBundle), cancellationToken);
                    _startupDone = true;
                    RegistrationLog.Created(logger, name);
                    return;
                }
                catch (KubeApiException e) when (e.IsAlreadyExists)
                {
                    // Another replica created it a moment ago: read it and update that one.
                    continue;
                }
            }

            _startupDone = true;
            if (!Merge(existing, builder.BuildWebhook(caBundle)))
            {
                RegistrationLog.UpToDate(logger, name);
                return;
            }

            try
            {
                await client.ReplaceAsync(KubeResources.MutatingWebhookConfigurations, existing, cancellationToken);
                RegistrationLog.Updated(logger, name, WebhookConfigurationBuilder.WebhookName);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // Someone else wrote in between; read their version and apply ours on top.
                continue;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                RegistrationLog.DeletedNotRecreated(logger, name);
                return;
            }
        }

        throw new KubeApiException($"MutatingWebhookConfiguration {name} changed under every one of {MaxAttempts} attempts to update it");
    }

    /// <summary>Puts <paramref name="desired"/> into <paramref name="existing"/> in place of our entry, keeping what
    /// others added (unknown fields of our entry included); false when nothing would change.</summary>
    private static bool Merge(MutatingWebhookConfiguration existing, MutatingWebhook desired)
    {
        var webhooks = existing.Webhooks ??= [];
        var index = webhooks.FindIndex(w => w.Name == desired.Name);
        var labels = existing.Metadata.Labels ??= [];
        var labelled = labels.GetValueOrDefault(WellKnown.ManagedByLabel) == WellKnown.ManagedByValue;
        labels[WellKnown.ManagedByLabel] = WellKnown.ManagedByValue;
        if (index < 0)
        {
            webhooks.Add(desired);
            return true;
        }

        var current = webhooks[index];
        desired.ExtensionData = current.ExtensionData;
        desired.ClientConfig!.ExtensionData = current.ClientConfig?.ExtensionData;
        desired.ClientConfig.Service!.ExtensionData = current.ClientConfig?.Service?.ExtensionData;
        if (labelled && Json(current) == Json(desired))
        {
            return false;
        }

        webhooks[index] = desired;
        return true;
    }

    private static string Json(MutatingWebhook webhook) => JsonSerializer.Serialize(webhook, KubeJsonContext.Default.MutatingWebhook);
}
