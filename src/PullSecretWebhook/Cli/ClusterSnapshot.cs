using Microsoft.Extensions.Logging.Abstractions;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Kube.Config;
using PullSecretWebhook.Kube.Transport;
using PullSecretWebhook.Kube.Watching;
using PullSecretWebhook.Reconciliation.Desired;
using PullSecretWebhook.Reconciliation.Events;
using PullSecretWebhook.Selection;
using k8s;
using k8s.Models;

namespace PullSecretWebhook.Cli;

/// <summary>What one namespace gets, from one-shot reads (no informers): the namespace, every exported Secret of the
/// cluster (by label, and by name for <c>--source-secret</c>) and the namespace's target, judged with the reconciler's own <see cref="SourceAnalyzer"/>,
/// <see cref="DesiredTargetCalculator"/> and <see cref="TargetAssessment"/>.</summary>
internal sealed record ClusterSnapshot(V1Namespace Namespace, IReadOnlyList<V1Secret> Exported, IReadOnlyList<SourceAnalysis> Sources, DesiredTarget Desired, V1Secret? Target, TargetState State)
{
    /// <summary>The server's Events about the exported Secrets (only read when asked: <c>explain</c> shows the
    /// credential verdicts they report).</summary>
    public IReadOnlyList<Corev1Event> ServerEvents { get; init; } = [];

    /// <summary>Secrets named by <c>--source-secret</c> that do not exist.</summary>
    public IReadOnlyList<string> MissingNamedSources { get; init; } = [];

    public static async Task<ClusterSnapshot> LoadAsync(CliContext context, string? kubeconfig, string? kubeContext, ClusterSettings settings, string namespaceName, CancellationToken cancellationToken, bool withServerEvents = false)
    {
        if (kubeconfig is not null && !File.Exists(kubeconfig))
        {
            throw new CliException($"--kubeconfig: file {kubeconfig} does not exist");
        }

        KubeConnectionState state;
        try
        {
            state = new KubeConfigLoader(context.Environment, TimeProvider.System).Load(kubeconfig, kubeContext);
        }
        catch (KubeConfigException e)
        {
            throw new CliException(e.Message, e);
        }

        if (!state.IsConnected)
        {
            throw new CliException($"no Kubernetes cluster configured ({state.Description}); use --kubeconfig or set KUBECONFIG");
        }

        // A command line answers or fails quickly: few retries, a short timeout.
        var options = new KubeOptions { MaxRetries = 1, Timeout = TimeSpan.FromSeconds(15) };
        using var client = KubeApiClientFactory.Create(state.Config, options, TimeProvider.System, NullLogger.Instance);
        var ns = await KubeApiException.OrNullIfNotFound(client.CoreV1.ReadNamespaceAsync(namespaceName, cancellationToken: cancellationToken))
            ?? throw new CliException($"namespace \"{namespaceName}\" not found");
        var exported = await KubePager.ListAllAsync(client, KubeKinds.Secrets, null, new ListRequest { LabelSelector = $"{WellKnown.ExportLabel}=true" }, 500, cancellationToken);
        var target = await KubeApiException.OrNullIfNotFound(client.CoreV1.ReadNamespacedSecretAsync(settings.SecretName, namespaceName, cancellationToken: cancellationToken));

        // Sources:Secrets: exported by name, with or without the label (the server watches each by name).
        var named = new List<V1Secret>();
        var missing = new List<string>();
        foreach (var entry in settings.NamedSources.Where(n => !exported.Items.Any(s => s.Metadata.NamespaceProperty == n.Namespace && s.Metadata.Name == n.Name)))
        {
            if (await KubeApiException.OrNullIfNotFound(client.CoreV1.ReadNamespacedSecretAsync(entry.Name, entry.Namespace, cancellationToken: cancellationToken)) is { } secret)
            {
                named.Add(secret);
            }
            else
            {
                missing.Add(entry.Id);
            }
        }

        var sources = exported.Items.Concat(named)
            .OrderBy(s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}", StringComparer.Ordinal)
            .ToList();
        var analyses = sources.Select(settings.Analyzer.Analyze).ToList();
        var desired = settings.Calculator.Calculate(ns, analyses, target);
        var events = new List<Corev1Event>();
        if (withServerEvents)
        {
            // One list per namespace holding an exported Secret, filtered by the server's component name.
            foreach (var sourceNamespace in sources.Select(s => s.Metadata.NamespaceProperty).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var list = await KubePager.ListAllAsync(client, KubeKinds.Events, sourceNamespace, new ListRequest { FieldSelector = $"source={EventRecorder.Component}" }, 500, cancellationToken);
                events.AddRange(list.Items);
            }
        }

        return new ClusterSnapshot(ns, sources, analyses, desired, target, TargetAssessment.Assess(desired, target)) { ServerEvents = events, MissingNamedSources = missing };
    }
}
