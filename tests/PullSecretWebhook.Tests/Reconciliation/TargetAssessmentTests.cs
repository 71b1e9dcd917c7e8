using System.Text;
using PullSecretWebhook.Credentials;
using PullSecretWebhook.Reconciliation.Desired;
using k8s.Models;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>Every branch of the assessment, including both sides of "not ours → never touch".</summary>
public sealed class TargetAssessmentTests
{
    private static readonly DesiredTarget Wanted = Desired();

    private static readonly Dictionary<string, (DesiredTarget Desired, V1Secret? Actual, TargetState Expected)> Table = new()
    {
        ["absent, wanted"] = (Wanted, null, TargetState.Missing),
        ["absent, not wanted"] = (DesiredTarget.Nothing(DesiredReason.NoSources), null, TargetState.NotWanted),
        ["ours, equal"] = (Wanted, Ours(Wanted), TargetState.UpToDate),
        ["ours, other data"] = (Wanted, Ours(Wanted, payload: "{\"auths\":{}}"), TargetState.Differs),
        ["ours, extra data key"] = (Wanted, Ours(Wanted, extraKey: true), TargetState.Differs),
        ["ours, stale sources annotation"] = (Wanted, Ours(Wanted, sources: "p/old"), TargetState.Differs),
        ["ours, stale origins annotation"] = (Wanted, Ours(Wanted, origins: "{}"), TargetState.Differs),
        ["ours, no origins annotation (written before it existed)"] = (Wanted, Ours(Wanted, origins: ""), TargetState.Differs),
        ["ours, wrong type"] = (Wanted, Ours(Wanted, type: "Opaque"), TargetState.WrongType),
        ["ours, not wanted (no sources)"] = (DesiredTarget.Nothing(DesiredReason.NoSources), Ours(Wanted), TargetState.Unwanted),
        ["ours, namespace opted out"] = (DesiredTarget.Nothing(DesiredReason.OptedOut), Ours(Wanted), TargetState.Unwanted),
        ["ours, namespace terminating"] = (DesiredTarget.Nothing(DesiredReason.Terminating), Ours(Wanted), TargetState.NotWanted),
        ["theirs, wanted"] = (Wanted, Theirs(), TargetState.NotOurs),
        ["theirs, equal content, still not ours"] = (Wanted, Theirs(Wanted), TargetState.NotOurs),
        ["theirs with another managed-by value"] = (Wanted, Theirs(managedBy: "helm"), TargetState.NotOurs),
        ["theirs, not wanted"] = (DesiredTarget.Nothing(DesiredReason.OptedOut), Theirs(), TargetState.NotWanted),
        ["theirs, adopt=true"] = (Wanted, Theirs(adopt: "true"), TargetState.Adoptable),
        ["theirs, adopt=yes is not adopt"] = (Wanted, Theirs(adopt: "yes"), TargetState.NotOurs),
        ["theirs, adopt=true but not wanted"] = (DesiredTarget.Nothing(DesiredReason.NoSources), Theirs(adopt: "true"), TargetState.NotWanted),
    };

    public static TheoryData<string> Cases() => [.. Table.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Assess_Case_GivesState(string name)
    {
        var (desired, actual, expected) = Table[name];

        Assert.Equal(expected, TargetAssessment.Assess(desired, actual));
    }

    [Fact]
    public void Assess_TheirsCarryingTheConfiguredAdoptMarker_IsAdoptable()
    {
        var theirs = Theirs();
        theirs.Metadata.Annotations!["app.kubernetes.io/managed-by"] = "imagepullsecret-patcher";

        Assert.Equal(TargetState.Adoptable, TargetAssessment.Assess(Wanted, theirs, new PullSecretWebhook.Selection.AnnotationMatch("app.kubernetes.io/managed-by", "imagepullsecret-patcher")));
        Assert.Equal(TargetState.NotOurs, TargetAssessment.Assess(Wanted, theirs));
    }

    [Fact]
    public void Assess_TheirsWithAnotherValueOfTheMarker_IsNotOurs()
    {
        var theirs = Theirs();
        theirs.Metadata.Annotations!["app.kubernetes.io/managed-by"] = "someone-else";

        Assert.Equal(TargetState.NotOurs, TargetAssessment.Assess(Wanted, theirs, new PullSecretWebhook.Selection.AnnotationMatch("app.kubernetes.io/managed-by", "imagepullsecret-patcher")));
    }

    private static DesiredTarget Desired()
    {
        var parsed = DockerConfigParser.Parse("""{"auths":{"r.io":{"auth":"dTpw"}}}"""u8, DockerConfigFormat.DockerConfigJson);
        var merge = CredentialMerge.Merge([new CredentialSource("p", "s", parsed.Entries)]);
        return new DesiredTarget(DesiredReason.Wanted, merge, []);
    }

    private static V1Secret Ours(DesiredTarget desired, string? payload = null, bool extraKey = false, string? sources = null, string type = SecretTypes.DockerConfigJson, string? origins = null)
    {
        var secret = Theirs(desired, managedBy: "pullsecret-webhook");
        secret.Type = type;
        secret.Data![SecretTypes.DockerConfigJsonKey] = payload is null ? desired.Merge!.Payload : Encoding.UTF8.GetBytes(payload);
        if (extraKey)
        {
            secret.Data["extra"] = [1];
        }

        secret.Metadata.Annotations!["pullsecret-webhook.io/sources"] = sources ?? desired.SourcesAnnotation;
        if (origins != "")
        {
            secret.Metadata.Annotations["pullsecret-webhook.io/origins"] = origins ?? desired.OriginsAnnotation;
        }

        return secret;
    }

    private static V1Secret Theirs(DesiredTarget? desired = null, string? managedBy = null, string? adopt = null)
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "pullsecret-webhook", NamespaceProperty = "team-a", Labels = new Dictionary<string, string>(), Annotations = new Dictionary<string, string>() },
            Type = SecretTypes.DockerConfigJson,
            Data = new Dictionary<string, byte[]> { [SecretTypes.DockerConfigJsonKey] = desired?.Merge!.Payload ?? [] },
        };
        if (managedBy is not null)
        {
            secret.Metadata.Labels!["app.kubernetes.io/managed-by"] = managedBy;
        }

        if (adopt is not null)
        {
            secret.Metadata.Annotations!["pullsecret-webhook.io/adopt"] = adopt;
        }

        if (desired is not null)
        {
            secret.Metadata.Annotations!["pullsecret-webhook.io/sources"] = desired.SourcesAnnotation;
        }

        return secret;
    }
}
