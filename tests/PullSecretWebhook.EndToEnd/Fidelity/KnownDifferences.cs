using static PullSecretWebhook.EndToEnd.Fidelity.DifferenceCause;

namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>Every difference between kube-apiserver 1.20 and the fake that the fidelity tests accept, each with its
/// reason. Nothing else may differ; an entry that stops matching what the servers do fails the test, so this list is
/// always the current truth (tests/FakeKubeApiServer/README.md, "Fidelity against a real kube-apiserver", says the
/// same in prose).</summary>
internal static class KnownDifferences
{
    private const string NameLabel =
        "The kubernetes.io/metadata.name label is set on every namespace since 1.21 (NamespaceDefaultLabelName); 1.20 has no such label";

    private const string TokenSecrets =
        "1.20's token controller makes a kubernetes.io/service-account-token Secret per ServiceAccount and lists it in secrets; since 1.24 (LegacyServiceAccountTokenNoAutoGeneration) none are made";

    public static IReadOnlyList<KnownDifference> All { get; } =
    [
        new(Sequences.FreshNamespace, "its labels",
            """200; metadata.labels={"fidelity.pullsecret-webhook.io/run":"{ns}","pullsecret-webhook.io/inject":"false"}""",
            """200; metadata.labels={"fidelity.pullsecret-webhook.io/run":"{ns}","kubernetes.io/metadata.name":"{ns}","pullsecret-webhook.io/inject":"false"}""",
            VersionDependent, NameLabel),
        new(Sequences.FreshNamespace, "select it by its name label", "200; items=[]", "200; items=[{ns}]", VersionDependent, NameLabel),
        new(Sequences.NamespaceLifecycle, "create with a finalizer of ours",
            """201; spec={"finalizers":["fidelity.pullsecret-webhook.io/hold","kubernetes"]}, status={"phase":"Active"}, metadata.labels={"fidelity.pullsecret-webhook.io/run":"{ns}"}""",
            """201; spec={"finalizers":["fidelity.pullsecret-webhook.io/hold","kubernetes"]}, status={"phase":"Active"}, metadata.labels={"fidelity.pullsecret-webhook.io/run":"{ns}","kubernetes.io/metadata.name":"{ns}-b"}""",
            VersionDependent, NameLabel),
        new(Sequences.FreshNamespace, "its default ServiceAccount",
            """200; secrets=[{"name":"default-token-*"}], imagePullSecrets=absent""", "200; secrets=absent, imagePullSecrets=absent", VersionDependent, TokenSecrets),
        new(Sequences.FreshNamespace, "its Secrets", "200; items=[default-token-*]", "200; items=[]", VersionDependent, TokenSecrets),
        new(Sequences.PodLifecycle, "token volume", "a Secret volume default-token-*", "none", NotModelled,
            "The ServiceAccount admission plugin mounts the account's token: a Secret volume in 1.20, a projected kube-api-access-* volume since 1.22. The fake runs no admission plugins"),
        new(Sequences.WebhookConfiguration, "update with matchConditions", "200; matchConditions=absent", """200; matchConditions=[{"name":"not-mirror","expression":"true"}]""", VersionDependent,
            "matchConditions exist since 1.27 (beta and on by default in 1.28); 1.20 drops the unknown field (and the update is then a no-op)"),
        new(Sequences.Discovery, "version", "200; major=\"1\", minor=\"20\"", "200; major=\"1\", minor=\"32\"", VersionDependent, "The fake presents itself as 1.32"),
        new(Sequences.Discovery, "/apis with kubectl's Accept header", "200; kind=\"APIGroupList\", apiVersion=\"v1\"", "200; kind=\"APIGroupDiscoveryList\", apiVersion=\"apidiscovery.k8s.io/v2\"", VersionDependent,
            "Aggregated discovery (apidiscovery.k8s.io) is served since 1.26 (v2beta1) and 1.30 (v2); 1.20 answers the legacy APIGroupList kubectl falls back to"),
        new(Sequences.PatchBasics, "json patch replace of a missing key", """200; data={"a":"1","zz":"1"}""", "422 Invalid; data=absent", VersionDependent,
            "1.20 vendors evanphx/json-patch 4.9, whose replace adds a missing key; 1.32's 4.12 follows RFC 6902 §4.3 (the target must exist), as the fake does"),
        new(Sequences.CoreEventRecording, "create with an eventTime but no reportingComponent",
            "422 Invalid; details kind=Event group= name=harbor.***** causes=[action FieldValueRequired; reportingController FieldValueInvalid; reportingController FieldValueRequired; reportingInstance FieldValueRequired]",
            "422 Invalid; details kind=Event group= name=harbor.***** causes=[action FieldValueRequired; reportingComponent FieldValueInvalid; reportingComponent FieldValueRequired; reportingInstance FieldValueRequired]",
            VersionDependent, "Since 1.22 a core v1 Event's errors name the field as core v1 spells it (reportingComponent); 1.20 uses the events.k8s.io name"),
        new(Sequences.WatchAfterCompaction, "watch from before the compaction",
            "HTTP 200, ADDED before (> list), MODIFIED before (> list), ADDED after (= sentinel)", "HTTP 200, ERROR 410 Expired", ServerSetup,
            "The shared control plane serves watches from its watch cache, which keeps events past an etcd compaction until its own window (at least 100 events of the kind, and 75 s) rolls over. "
            + "The fake's forgotten history is the rolled-over case; without the watch cache the real server agrees (WithoutTheWatchCache_AWatchFromACompactedResourceVersionIsExpired_AsOnTheFake)"),
    ];
}
