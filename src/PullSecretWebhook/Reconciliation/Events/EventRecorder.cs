using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Reconciliation.Events;

/// <summary>Posts core/v1 Events about the objects users own (a source Secret, a conflicting Secret, a Pod), as
/// <c>kubectl describe</c> shows them. The same event (object, reason, message) is posted at most once per
/// <c>Reconciler:EventInterval</c>, and a failure to post is logged, never fatal: events are a report, not state. A
/// post that failed does not count, so the next report of the same problem tries again.</summary>
internal sealed class EventRecorder(
    IKubernetes client,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ReconcilerMetrics metrics,
    ILogger<EventRecorder> logger)
{
    public const string Component = "pullsecret-webhook";
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastPosted = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval = options.Value.EventInterval;

    /// <summary>Posts the event unless the same one was posted within the interval; returns whether it was new,
    /// so that callers log a persistent problem as rarely as they report it.</summary>
    public async Task<bool> WarnAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken)
    {
        var ns = about.Metadata.NamespaceProperty ?? "default";
        var key = $"{ns}/{about.Metadata.Name}/{about.Metadata.Uid}/{reason}/{message}";
        var now = time.GetUtcNow();
        if (_lastPosted.TryGetValue(key, out var last) && now - last < _interval)
        {
            return false;
        }

        _lastPosted[key] = now;
        if (_lastPosted.Count > 10_000)
        {
            // Bounded memory under a storm of distinct problems: forget what has aged out.
            foreach (var (oldKey, at) in _lastPosted)
            {
                if (now - at >= _interval)
                {
                    _lastPosted.TryRemove(oldKey, out _);
                }
            }
        }

        var @event = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { GenerateName = $"{about.Metadata.Name}.", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = about switch
                {
                    V1Pod => "Pod",
                    _ => "Secret",
                },
                Name = about.Metadata.Name,
                NamespaceProperty = ns,
                Uid = about.Metadata.Uid,
                ResourceVersion = about.Metadata.ResourceVersion,
            },
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            Type = "Warning",
            Count = 1,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Source = new V1EventSource { Component = Component },
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(@event, ns, cancellationToken: cancellationToken);
            ReconcilerLog.EventPosted(logger, reason, ns, about.Metadata.Name ?? "");
        }
        catch (Exception e) when (KubeApiException.IsApiFailure(e))
        {
            // Not posted, so not counted as posted: the next report of the same problem posts it, rather than nothing
            // for the rest of the interval.
            _lastPosted.TryRemove(KeyValuePair.Create(key, now));
            metrics.ApiError("create", "events");
            ReconcilerLog.EventFailed(logger, reason, ns, about.Metadata.Name ?? "", e.Message);
        }

        return true;
    }
}
