using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PullSecretWebhook.Reconciliation.Placeholders;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary>secretgen-controller placeholders (README, "Coming from secretgen-controller"): with
/// <c>Placeholders:Enabled</c>, a placeholder in a selected namespace is filled in place with that namespace's merged
/// credentials, under the target's export scope and opt-outs, and emptied (never deleted) when the namespace leaves;
/// without it, never touched.</summary>
public sealed class PlaceholderTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ReconcilerHarness.StartAsync();
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")), annotations: new() { ["pullsecret-webhook.io/to-namespaces"] = "team-*" });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Placeholder_InASelectedNamespace_IsFilledInPlace_WithTheTargetsCredentials()
    {
        _cluster.CreateNamespace("team-a");
        var uid = PutPlaceholder("team-a", "reg-creds");
        _cluster.StartServer(new() { ["Placeholders:Enabled"] = "true" });

        await Eventually.WaitUntilAsync(() => Payload("team-a", "reg-creds") != "{}", "the placeholder is filled");
        var placeholder = _cluster.GetSecret("team-a", "reg-creds")!;
        Assert.Equal(uid, (string?)placeholder["metadata"]!["uid"]);
        Assert.Equal((string?)_cluster.GetSecret("team-a")!["data"]![".dockerconfigjson"], (string?)placeholder["data"]![".dockerconfigjson"]);
        Assert.Equal("kept", Encoding.UTF8.GetString(Convert.FromBase64String((string)placeholder["data"]!["note"]!)));
        Assert.Equal("filled from psw-system/harbor", (string?)placeholder["metadata"]!["annotations"]!["pullsecret-webhook.io/placeholder"]);
        Assert.Null(placeholder["metadata"]!["labels"]?["app.kubernetes.io/managed-by"]); // still its owner's
        Assert.DoesNotContain(_cluster.Fake.Requests.Writes, w => w.Name == "reg-creds" && w.Verb != "patch");
    }

    [Fact]
    public async Task Placeholder_OutsideTheSourcesScope_IsLeftAsItIs()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("other");
        PutPlaceholder("other", "reg-creds");
        _cluster.StartServer(new() { ["Placeholders:Enabled"] = "true" });

        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        PutPlaceholder("team-a", "barrier");
        await Eventually.WaitUntilAsync(() => Payload("team-a", "barrier") != "{}", "a placeholder in scope is filled meanwhile");
        Assert.Equal("{}", Payload("other", "reg-creds"));
        Assert.DoesNotContain(_cluster.Fake.Requests.Writes, w => w.Namespace == "other");
    }

    [Fact]
    public async Task Placeholder_WhenTheNamespaceOptsOut_IsEmptiedNotDeleted()
    {
        _cluster.CreateNamespace("team-a");
        PutPlaceholder("team-a", "reg-creds");
        _cluster.StartServer(new() { ["Placeholders:Enabled"] = "true" });
        await Eventually.WaitUntilAsync(() => Payload("team-a", "reg-creds") != "{}", "the placeholder is filled");

        _cluster.LabelNamespace("team-a", new() { ["pullsecret-webhook.io/inject"] = "false" });

        await Eventually.WaitUntilAsync(() => Payload("team-a", "reg-creds") == "{}", "the placeholder is emptied");
        Assert.Equal("emptied: OptedOut", (string?)_cluster.GetSecret("team-a", "reg-creds")!["metadata"]!["annotations"]!["pullsecret-webhook.io/placeholder"]);
        Assert.DoesNotContain(_cluster.Fake.Requests.Writes, w => w.Name == "reg-creds" && w.Verb == "delete");
    }

    /// <summary>The conflict side of "never a blind write": the placeholder's owner changes it while our fill is on its
    /// way (the fake holds our PATCH until the change is made: a race the real API server cannot stage on demand). The
    /// write based on the old version is refused and not forced; the owner's change brings the namespace round again,
    /// and the placeholder ends filled, keeping what its owner wrote.</summary>
    [Fact]
    public async Task Placeholder_ChangedByItsOwnerWhileWeFillIt_IsFilledFromTheNewVersion()
    {
        _cluster.CreateNamespace("team-a");
        PutPlaceholder("team-a", "reg-creds");
        var hold = _cluster.Fake.Faults.HoldNext("patch", "/secrets/reg-creds");
        _cluster.StartServer(new() { ["Placeholders:Enabled"] = "true" });

        await hold.Arrived.WaitAsync(Eventually.DefaultTimeout);
        var changed = _cluster.GetSecret("team-a", "reg-creds")!.DeepClone().AsObject();
        changed["data"]!["owner"] = Convert.ToBase64String("v2"u8);
        _cluster.PutSecret("team-a", "reg-creds", changed);
        hold.Release();

        await Eventually.WaitUntilAsync(() => Payload("team-a", "reg-creds") != "{}", "the placeholder is filled");
        var placeholder = _cluster.GetSecret("team-a", "reg-creds")!;
        Assert.Equal("v2", Encoding.UTF8.GetString(Convert.FromBase64String((string)placeholder["data"]!["owner"]!)));
        Assert.Equal((string?)_cluster.GetSecret("team-a")!["data"]![".dockerconfigjson"], (string?)placeholder["data"]![".dockerconfigjson"]);
        // The held patch refused, a later one landing. (A reconcile between the two that still saw the old version in
        // its cache is refused the same way; how many there are is timing.)
        AssertOnlyPatches("reg-creds", firstAnswered: 409);
    }

    /// <summary>The other side: a failure that is not a conflict brings no watch event, so the namespace is retried (with
    /// backoff) until the fill lands.</summary>
    [Fact]
    public async Task Placeholder_FillFailingForAnotherReason_IsRetried()
    {
        _cluster.CreateNamespace("team-a");
        PutPlaceholder("team-a", "reg-creds");
        _cluster.Fake.Faults.FailNext(1, "patch", "/secrets/reg-creds", 500);
        _cluster.StartServer(new() { ["Placeholders:Enabled"] = "true" });

        await Eventually.WaitUntilAsync(() => Payload("team-a", "reg-creds") != "{}", "the placeholder is filled");
        AssertOnlyPatches("reg-creds", firstAnswered: 500);
    }

    [Fact]
    public async Task Placeholder_WhenDisabled_IsNeverTouched()
    {
        _cluster.CreateNamespace("team-a");
        PutPlaceholder("team-a", "reg-creds");
        var server = _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        Assert.Equal("{}", Payload("team-a", "reg-creds"));
        Assert.DoesNotContain(_cluster.Fake.Requests.Writes, w => w.Name == "reg-creds");
        // Not even watched: the default costs no watch on every dockerconfigjson Secret of the cluster.
        Assert.Null(server.Services.GetRequiredService<PlaceholderFiller>().Candidates);
    }

    /// <summary>Every write to the placeholder was a patch (carrying the version read: never a blind update), the
    /// first answered <paramref name="firstAnswered"/>, and one landed.</summary>
    private void AssertOnlyPatches(string name, int firstAnswered)
    {
        var writes = _cluster.Fake.Requests.Writes.Where(w => w.Name == name).ToList();
        Assert.All(writes, w => Assert.Equal("patch", w.Verb));
        Assert.Equal(firstAnswered, writes[0].Status);
        Assert.Contains(writes, w => w.Status == 200);
    }

    private string PutPlaceholder(string ns, string name) =>
        (string)_cluster.PutSecret(ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["annotations"] = new JsonObject { ["secretgen.carvel.dev/image-pull-secret"] = "" } },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String("{}"u8), ["note"] = Convert.ToBase64String("kept"u8) },
        })["metadata"]!["uid"]!;

    private string? Payload(string ns, string name) =>
        _cluster.GetSecret(ns, name)?["data"]?[".dockerconfigjson"] is { } data ? Encoding.UTF8.GetString(Convert.FromBase64String((string)data!)) : null;
}
