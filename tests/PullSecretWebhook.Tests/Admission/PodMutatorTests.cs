using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Tests.Admission;

/// <summary>The decision on its own: facts in, response out, no JSON and no host (README, "What the webhook does").
/// The wire format that produces the facts is tested in <c>Admission/Wire/</c>.</summary>
public sealed class PodMutatorTests
{
    private const string Target = "pullsecret-webhook";
    private const string Team = "team-a";

    // The rows use the product's internal types, so the theory takes a row's name and looks the row up.
    private static readonly Dictionary<string, (Func<AdmissionRequest, AdmissionRequest> Shape, NamespaceFacts Facts, AdmissionOutcome Outcome, string? PatchPath)> Rows = new()
    {
        ["plain Pod, nothing known"] = (r => r, NamespaceFacts.Unknown, AdmissionOutcome.Injected, "/spec/imagePullSecrets"),
        ["plain Pod, target present"] = (r => r, Facts(present: true), AdmissionOutcome.Injected, "/spec/imagePullSecrets"),
        ["empty list"] = (r => WithPod(r, p => p with { PullSecrets = PullSecretsField.List }), NamespaceFacts.Unknown, AdmissionOutcome.Injected, "/spec/imagePullSecrets/-"),
        ["other entries"] = (r => WithPod(r, p => p with { PullSecrets = PullSecretsField.List, PullSecretNames = ["a", "b"] }), NamespaceFacts.Unknown, AdmissionOutcome.Injected, "/spec/imagePullSecrets/-"),
        ["already referenced"] = (r => WithPod(r, p => p with { PullSecrets = PullSecretsField.List, PullSecretNames = ["a", Target] }), NamespaceFacts.Unknown, AdmissionOutcome.AlreadyReferenced, null),
        ["a name that only starts like the target"] = (r => WithPod(r, p => p with { PullSecrets = PullSecretsField.List, PullSecretNames = [Target + "-old"] }), NamespaceFacts.Unknown, AdmissionOutcome.Injected, "/spec/imagePullSecrets/-"),
        ["imagePullSecrets not a list"] = (r => WithPod(r, p => p with { PullSecrets = PullSecretsField.NotAList }), NamespaceFacts.Unknown, AdmissionOutcome.MalformedObject, null),
        ["no spec"] = (r => WithPod(r, p => p with { HasSpec = false }), NamespaceFacts.Unknown, AdmissionOutcome.MalformedObject, null),
        ["no object"] = (r => r with { Pod = null }, NamespaceFacts.Unknown, AdmissionOutcome.MalformedObject, null),
        ["Pod opt-out"] = (r => WithPod(r, p => p with { InjectLabel = "false" }), NamespaceFacts.Unknown, AdmissionOutcome.PodOptedOut, null),
        ["Pod opt-out, capitalised"] = (r => WithPod(r, p => p with { InjectLabel = "False" }), NamespaceFacts.Unknown, AdmissionOutcome.PodOptedOut, null),
        ["Pod label inject=true"] = (r => WithPod(r, p => p with { InjectLabel = "true" }), NamespaceFacts.Unknown, AdmissionOutcome.Injected, "/spec/imagePullSecrets"),
        ["mirror Pod"] = (r => WithPod(r, p => p with { IsMirror = true }), NamespaceFacts.Unknown, AdmissionOutcome.MirrorPod, null),
        ["namespace opted out"] = (r => r, Facts(optedOut: true), AdmissionOutcome.NamespaceOptedOut, null),
        ["namespace known not opted out"] = (r => r, Facts(optedOut: false), AdmissionOutcome.Injected, "/spec/imagePullSecrets"),
        ["kube-system"] = (r => r with { Namespace = "kube-system" }, NamespaceFacts.Unknown, AdmissionOutcome.NamespaceExcluded, null),
        ["own namespace"] = (r => r with { Namespace = "psw-system" }, NamespaceFacts.Unknown, AdmissionOutcome.NamespaceExcluded, null),
        ["configured exclusion"] = (r => r with { Namespace = "legacy" }, NamespaceFacts.Unknown, AdmissionOutcome.NamespaceExcluded, null),
        ["request namespace empty, object's excluded"] = (r => WithPod(r with { Namespace = "" }, p => p with { Namespace = "kube-system" }), NamespaceFacts.Unknown, AdmissionOutcome.NamespaceExcluded, null),
        ["UPDATE"] = (r => r with { Operation = "UPDATE" }, NamespaceFacts.Unknown, AdmissionOutcome.NotCreate, null),
        ["subresource"] = (r => r with { SubResource = "ephemeralcontainers" }, NamespaceFacts.Unknown, AdmissionOutcome.SubResource, null),
        ["not a Pod"] = (r => r with { Kind = "Deployment", KindGroup = "apps" }, NamespaceFacts.Unknown, AdmissionOutcome.NotAPod, null),
        ["a Pod of another group"] = (r => r with { KindGroup = "example.com" }, NamespaceFacts.Unknown, AdmissionOutcome.NotAPod, null),
    };

    public static TheoryData<string> Table() => [.. Rows.Keys];

    [Theory]
    [MemberData(nameof(Table))]
    public void Mutate_Facts_GiveTheExpectedAnswer(string name)
    {
        var (shape, facts, outcome, patchPath) = Rows[name];

        var response = Mutator(facts).Mutate(shape(PlainPod()));

        Assert.True(response.Outcome == outcome, $"{name}: {response.Outcome}");
        Assert.Equal("uid-1", response.Uid);
        Assert.Equal(patchPath, response.Patch.SingleOrDefault()?.Path);
        Assert.All(response.Patch, op => Assert.Equal("add", op.Op));
    }

    [Fact]
    public void Mutate_AbsentList_AddsTheWholeList_AndAnEntryOtherwise()
    {
        var absent = Mutator(NamespaceFacts.Unknown).Mutate(PlainPod()).Patch.Single();
        var appended = Mutator(NamespaceFacts.Unknown).Mutate(WithPod(PlainPod(), p => p with { PullSecrets = PullSecretsField.List, PullSecretNames = ["a"] })).Patch.Single();

        Assert.Equal("""[{"name":"pullsecret-webhook"}]""", absent.Value.ToJsonString());
        Assert.Equal("""{"name":"pullsecret-webhook"}""", appended.Value.ToJsonString());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(null, false)]
    public void Mutate_TargetKnownAbsent_WarnsOnlyThen(bool? present, bool warns)
    {
        var response = Mutator(Facts(present: present)).Mutate(PlainPod());

        Assert.Equal(AdmissionOutcome.Injected, response.Outcome);
        Assert.Equal(warns, response.Warnings.Count == 1);
        Assert.All(response.Warnings, w => Assert.Contains($"\"{Target}\" is not present in namespace \"{Team}\"", w, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("harbor.example.com/team/app:1", nameof(AdmissionOutcome.Injected))]
    [InlineData("docker.io/library/nginx:1", nameof(AdmissionOutcome.NoMatchingRegistry))]
    public void Mutate_MatchingRegistries_InjectsOnlyForAnExportedRegistry(string image, string expected)
    {
        var outcome = Enum.Parse<AdmissionOutcome>(expected);
        var keyring = Keyring("harbor.example.com");

        var response = Mutator(NamespaceFacts.Unknown, InjectionMode.MatchingRegistries, keyring).Mutate(WithPod(PlainPod(), p => p with { Images = [image] }));

        Assert.Equal(outcome, response.Outcome);
    }

    [Fact]
    public void Mutate_MatchingRegistries_CredentialsUnknown_Injects()
    {
        var response = Mutator(NamespaceFacts.Unknown, InjectionMode.MatchingRegistries, keyring: null).Mutate(WithPod(PlainPod(), p => p with { Images = ["docker.io/library/nginx:1"] }));

        Assert.Equal(AdmissionOutcome.Injected, response.Outcome);
    }

    private static NamespaceFacts Facts(bool? optedOut = null, bool? present = null) => new(optedOut, present);

    private static AdmissionRequest PlainPod() => new()
    {
        Uid = "uid-1",
        Kind = "Pod",
        Operation = "CREATE",
        Namespace = Team,
        Pod = new PodFacts { Name = "app", Namespace = Team, HasSpec = true, PullSecrets = PullSecretsField.Absent, Images = ["registry.example.com/app:1"] },
    };

    private static AdmissionRequest WithPod(AdmissionRequest request, Func<PodFacts, PodFacts> change) => request with { Pod = change(request.Pod!) };

    private static PodMutator Mutator(NamespaceFacts facts, InjectionMode mode = InjectionMode.Always, RegistryKeyring? keyring = null)
    {
        var environment = new KubeEnvironment(name => name == "POD_NAMESPACE" ? "psw-system" : null, null, "/nonexistent");
        var exclusion = new NamespaceExclusion(Options.Create(new NamespaceOptions { ExcludedNamespaces = ["legacy"] }), environment);
        return new PodMutator(Options.Create(new TargetOptions()), exclusion, new FixedFacts(facts, keyring), Options.Create(new InjectionOptions { Mode = mode }));
    }

    private static RegistryKeyring Keyring(string registry)
    {
        var config = new JsonObject { ["auths"] = new JsonObject { [registry] = new JsonObject { ["username"] = "u", ["password"] = "p" } } };
        return new RegistryKeyring(DockerConfigParser.Parse(Encoding.UTF8.GetBytes(config.ToJsonString()), DockerConfigFormat.DockerConfigJson).Entries);
    }

    private sealed class FixedFacts(NamespaceFacts facts, RegistryKeyring? keyring) : INamespaceFactsSource
    {
        public NamespaceFacts Get(string namespaceName) => facts;

        public RegistryKeyring? ExportedKeyring(string namespaceName) => keyring;
    }
}
