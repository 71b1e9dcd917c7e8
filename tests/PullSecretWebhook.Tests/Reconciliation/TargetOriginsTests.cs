using PullSecretWebhook.Credentials;
using PullSecretWebhook.Reconciliation.Desired;
using k8s.Models;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>The <c>pullsecret-webhook.io/origins</c> annotation, from which a restarted server reads back the last good
/// entries of an invalid source: only from a target of ours, only for the very Secret (uid) that gave them, only the
/// keys attributed to it.</summary>
public sealed class TargetOriginsTests
{
    private static readonly MergedCredentials Merge = CredentialMerge.Merge(
    [
        Source("psw", "vault", "uid-vault", """{"auths":{"harbor.example.com":{"auth":"dTpw"},"shared.example.com":{"auth":"YTpi"}}}"""),
        Source("psw", "zeta", "uid-zeta", """{"auths":{"ghcr.io":{"auth":"Yjpj"},"shared.example.com":{"auth":"eDp5"}}}"""),
    ]);

    [Fact]
    public void Render_Merge_ListsEachSourceWithItsUidAndWinningKeys()
    {
        Assert.Equal(
            """{"psw/vault":{"uid":"uid-vault","registries":["harbor.example.com","shared.example.com"]},"psw/zeta":{"uid":"uid-zeta","registries":["ghcr.io"]}}""",
            TargetOrigins.Render(Merge));
    }

    [Fact]
    public void Recover_OurTargetAndTheRecordedUid_GivesExactlyThatSourcesEntries()
    {
        var recovered = TargetOrigins.Recover(Target(managed: true), "psw", "vault", "uid-vault");

        Assert.NotNull(recovered);
        Assert.Equal(["harbor.example.com", "shared.example.com"], recovered.Entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        // Read back and merged again, the entries give the very bytes that were written: a restart writes nothing.
        Assert.Equal(Merge.Payload, CredentialMerge.Merge([recovered, TargetOrigins.Recover(Target(managed: true), "psw", "zeta", "uid-zeta")!]).Payload);
    }

    [Fact]
    public void Recover_AnotherUid_GivesNothing()
    {
        Assert.Null(TargetOrigins.Recover(Target(managed: true), "psw", "vault", "uid-of-a-recreated-secret"));
    }

    [Fact]
    public void Recover_TargetNotOurs_GivesNothing()
    {
        Assert.Null(TargetOrigins.Recover(Target(managed: false), "psw", "vault", "uid-vault"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"psw/vault":{"uid":"uid-vault"}}""")]
    [InlineData("""{"psw/vault":{"uid":"uid-vault","registries":[]}}""")]
    public void Recover_MalformedAnnotation_GivesNothing(string annotation)
    {
        var target = Target(managed: true);
        target.Metadata.Annotations!["pullsecret-webhook.io/origins"] = annotation;

        Assert.Null(TargetOrigins.Recover(target, "psw", "vault", "uid-vault"));
    }

    private static V1Secret Target(bool managed) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "pullsecret-webhook",
            NamespaceProperty = "team-a",
            Labels = managed ? new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "pullsecret-webhook" } : new Dictionary<string, string>(),
            Annotations = new Dictionary<string, string> { ["pullsecret-webhook.io/origins"] = TargetOrigins.Render(Merge) },
        },
        Type = SecretTypes.DockerConfigJson,
        Data = new Dictionary<string, byte[]> { [SecretTypes.DockerConfigJsonKey] = Merge.Payload },
    };

    private static CredentialSource Source(string ns, string name, string uid, string json) =>
        new(ns, name, DockerConfigParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), DockerConfigFormat.DockerConfigJson).Entries, uid);
}
