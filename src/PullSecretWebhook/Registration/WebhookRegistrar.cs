using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Selection;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Registration;

/// <summary>Keeps the server's MutatingWebhookConfiguration as <see cref="WebhookConfigurationBuilder"/> describes it,
/// at start-up and after every CA bundle change. Read-modify-write with the resourceVersion read (409 → read again),
/// changing only our own webhook entry: other webhooks, labels, annotations and fields this code does not model
/// survive. Deleting the configuration is the documented emergency stop, so it is created only when it is absent at
/// start-up; one deleted later is logged and left alone. The first attempt asks the server's version, which decides
/// whether matchConditions are written (<see cref="ServerSupport"/>).</summary>
internal sealed class WebhookRegistrar(
    IKubernetes client,
    WebhookConfigurationBuilder builder,
    IOptions<RegistrationOptions> registration,
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
    private ServerSupport? _server;
    private bool _matchConditions;

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
        catch (Exception e) when (KubeApiException.IsApiFailure(e))
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
        var matchConditions = await MatchConditionsAsync(cancellationToken);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await ReadAsync(name, cancellationToken);
            if (existing is null)
            {
                if (_startupDone)
                {
                    RegistrationLog.DeletedNotRecreated(logger, name);
                    return;
                }

                try
                {
                    var created = await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(builder.BuildConfiguration(caBundle, matchConditions), cancellationToken: cancellationToken);
                    _startupDone = true;
                    RegistrationLog.Created(logger, name);
                    NoticeDroppedMatchConditions(created, matchConditions);
                    return;
                }
                catch (KubeApiException e) when (e.IsAlreadyExists)
                {
                    // Another replica created it a moment ago: read it and update that one.
                    continue;
                }
            }

            _startupDone = true;
            if (ChangesTo(existing, builder.BuildWebhook(caBundle, matchConditions)) is not { } patch)
            {
                RegistrationLog.UpToDate(logger, name);
                return;
            }

            try
            {
                var replaced = await client.AdmissionregistrationV1.PatchMutatingWebhookConfigurationAsync(patch, name, cancellationToken: cancellationToken);
                RegistrationLog.Updated(logger, name, WebhookConfigurationBuilder.WebhookName);
                NoticeDroppedMatchConditions(replaced, matchConditions);
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

    /// <summary>Whether matchConditions are written: decided at the first attempt that reaches the server, and said
    /// once in the start-up line.</summary>
    private async Task<bool> MatchConditionsAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            return _matchConditions;
        }

        var server = await ServerSupport.ReadAsync(client, cancellationToken);
        var setting = registration.Value.MatchConditions;
        var include = server.IncludesMatchConditions(setting);
        var reason = setting switch
        {
            true => "Registration:MatchConditions is true",
            false => "Registration:MatchConditions is false",
            null when include => "on by default from 1.28",
            null => "off by default before 1.28",
        };
        switch (include, server.LabelsNamespacesByName)
        {
            case (false, _) when setting is null && server.Problem is { } problem:
                RegistrationLog.VersionUnknown(logger, problem);
                break;
            case (true, true):
                RegistrationLog.WithMatchConditions(logger, server.Description, reason);
                break;
            case (false, true):
                RegistrationLog.WithoutMatchConditions(logger, server.Description, reason);
                break;
            case (true, false):
                RegistrationLog.WithMatchConditionsBefore121(logger, server.Description, reason);
                break;
            case (false, false):
                RegistrationLog.WithoutMatchConditionsBefore121(logger, server.Description, reason);
                break;
        }

        (_server, _matchConditions) = (server, include);
        return include;
    }

    /// <summary>A server with matchConditions off stores the configuration without them and says nothing; left
    /// wanted, they would make every later attempt see a difference and write again. So the write's answer is checked,
    /// and after a drop the configuration is built, and compared, without them.</summary>
    private void NoticeDroppedMatchConditions(V1MutatingWebhookConfiguration written, bool matchConditions)
    {
        var ours = written.Webhooks?.FirstOrDefault(w => w.Name == WebhookConfigurationBuilder.WebhookName);
        if (!matchConditions || ours is null || ours.MatchConditions is { Count: > 0 })
        {
            return;
        }

        _matchConditions = false;
        RegistrationLog.MatchConditionsDropped(logger, _server?.Description ?? "(version unknown)", builder.ConfigurationName);
    }

    private Task<V1MutatingWebhookConfiguration?> ReadAsync(string name, CancellationToken cancellationToken) =>
        KubeApiException.OrNullIfNotFound(client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(name, cancellationToken: cancellationToken));

    /// <summary>
    /// The JSON patch (RFC 6902) that puts <paramref name="desired"/> in place of our entry and our label on the
    /// configuration; null when nothing would change. Other tools edit this object too, so it is never replaced whole:
    /// the patch touches only the fields of our entry that differ (recursing into objects), and a field neither the
    /// package's model nor this process knows, anywhere in the object, stays as it is. Its first operation tests the
    /// resourceVersion read, so a concurrent write makes it fail with 409 rather than land on a changed object.
    /// </summary>
    private static V1Patch? ChangesTo(V1MutatingWebhookConfiguration existing, V1MutatingWebhook desired)
    {
        var operations = new JsonArray();
        if (existing.Metadata.Labels is null)
        {
            operations.Add(Operation("add", "/metadata/labels", new JsonObject { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue }));
        }
        else if (existing.Metadata.Labels.TryGetValue(WellKnown.ManagedByLabel, out var label) is false || label != WellKnown.ManagedByValue)
        {
            operations.Add(Operation("add", $"/metadata/labels/{JsonPointer(WellKnown.ManagedByLabel)}", WellKnown.ManagedByValue));
        }

        var index = existing.Webhooks?.ToList().FindIndex(w => w.Name == desired.Name) ?? -1;
        var wanted = Json(desired);
        if (existing.Webhooks is null)
        {
            operations.Add(Operation("add", "/webhooks", new JsonArray(wanted)));
        }
        else if (index < 0)
        {
            operations.Add(Operation("add", "/webhooks/-", wanted));
        }
        else
        {
            AddDifferences($"/webhooks/{index}", Json(existing.Webhooks[index]), wanted, operations);
        }

        if (operations.Count == 0)
        {
            return null;
        }

        operations.Insert(0, Operation("test", "/metadata/resourceVersion", existing.Metadata.ResourceVersion));
        return new V1Patch(operations.ToJsonString(), V1Patch.PatchType.JsonPatch);
    }

    /// <summary>Operations that turn the known fields of <paramref name="current"/> into <paramref name="desired"/>.</summary>
    private static void AddDifferences(string path, JsonObject current, JsonObject desired, JsonArray operations)
    {
        foreach (var (key, value) in desired)
        {
            var at = $"{path}/{JsonPointer(key)}";
            if (current[key] is JsonObject currentObject && value is JsonObject desiredObject)
            {
                AddDifferences(at, currentObject, desiredObject, operations);
            }
            else if (!JsonNode.DeepEquals(current[key], value))
            {
                operations.Add(Operation("add", at, value?.DeepClone()));
            }
        }

        foreach (var (key, _) in current)
        {
            if (!desired.ContainsKey(key))
            {
                operations.Add(Operation("remove", $"{path}/{JsonPointer(key)}", null, withValue: false));
            }
        }
    }

    /// <summary>One JSON patch operation; typed as a node so that arrays take it through their non-generic
    /// <c>Add</c> (the generic one needs dynamic code under Native AOT).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "JsonNode on purpose: JsonArray's generic Add<JsonObject> needs dynamic code under Native AOT")]
    private static JsonNode Operation(string op, string path, JsonNode? value, bool withValue = true)
    {
        var operation = new JsonObject { ["op"] = op, ["path"] = path };
        if (withValue)
        {
            operation["value"] = value;
        }

        return operation;
    }

    private static string JsonPointer(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonObject Json(V1MutatingWebhook webhook) => JsonNode.Parse(KubernetesJson.Serialize(webhook))!.AsObject();
}
