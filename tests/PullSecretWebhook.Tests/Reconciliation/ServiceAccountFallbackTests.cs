using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

public sealed class ServiceAccountFallbackTests : IAsyncLifetime
{
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ModeDefault_AddsOnlyOurEntryToDefaultAccount_AndRemovesOnlyItOnOptOut()
    {
        _cluster.CreateNamespace("team-a");
        Account("team-a", "default", "existing");
        Account("team-a", "builder");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.StartServer(new() { ["ServiceAccounts:Mode"] = "Default" });

        await Eventually.WaitUntilAsync(() => Entries("team-a", "default").SequenceEqual(["existing", "pullsecret-webhook"]), "default account gets the entry after the existing one");
        Assert.Empty(Entries("team-a", "builder"));

        _cluster.LabelNamespace("team-a", new() { ["pullsecret-webhook.io/inject"] = "false" });

        await Eventually.WaitUntilAsync(() => Entries("team-a", "default").SequenceEqual(["existing"]), "our entry removed, theirs kept");
        Assert.Null(_cluster.Fake.Store.Get("v1", "serviceaccounts", "team-a", "default")!["metadata"]!["annotations"]?["pullsecret-webhook.io/added-image-pull-secret"]);
    }

    [Fact]
    public async Task ModeAll_CoversEveryAccount_ButNeverRemovesAnEntryItDidNotAdd()
    {
        _cluster.CreateNamespace("team-a");
        Account("team-a", "default");
        Account("team-a", "builder", "pullsecret-webhook"); // added by a person, not by us
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.StartServer(new() { ["ServiceAccounts:Mode"] = "All" });
        await Eventually.WaitUntilAsync(() => Entries("team-a", "default").SequenceEqual(["pullsecret-webhook"]), "default account covered");

        _cluster.LabelNamespace("team-a", new() { ["pullsecret-webhook.io/inject"] = "false" });

        await Eventually.WaitUntilAsync(() => Entries("team-a", "default").Count == 0, "our entry removed from default");
        await _cluster.WaitForNoTargetAsync("team-a");
        Assert.Equal(["pullsecret-webhook"], Entries("team-a", "builder"));
        Assert.Equal(0, _cluster.Fake.Requests.Count("patch", "serviceaccounts", "team-a", "builder"));
    }

    [Fact]
    public async Task ModeOff_NeverTouchesServiceAccounts()
    {
        _cluster.CreateNamespace("team-a");
        Account("team-a", "default");
        _cluster.PutSource("harbor", ReconcilerHarness.DockerConfig(("harbor.example.com", "robot", "pw")));
        _cluster.StartServer();

        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");

        Assert.Empty(Entries("team-a", "default"));
        Assert.Equal(0, _cluster.Fake.Requests.Count(resource: "serviceaccounts"));
    }

    /// <summary>Creates or replaces a ServiceAccount (the fake, like a real cluster, makes "default" itself).</summary>
    private void Account(string ns, string name, params string[] pullSecrets)
    {
        var account = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["imagePullSecrets"] = new JsonArray([.. pullSecrets.Select(s => (JsonNode)new JsonObject { ["name"] = s })]),
        };
        if (_cluster.Fake.Store.Get("v1", "serviceaccounts", ns, name) is null)
        {
            _cluster.Fake.Store.Create("v1", "serviceaccounts", ns, account);
        }
        else
        {
            _cluster.Fake.Store.Update("v1", "serviceaccounts", ns, account);
        }
    }

    private List<string> Entries(string ns, string name) =>
        _cluster.Fake.Store.Get("v1", "serviceaccounts", ns, name)?["imagePullSecrets"]?.AsArray().Select(e => (string)e!["name"]!).ToList() ?? [];
}
