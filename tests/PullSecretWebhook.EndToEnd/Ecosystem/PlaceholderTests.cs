using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Ecosystem;

/// <summary>secretgen-controller placeholders on the real API server (README, "Coming from secretgen-controller"): the
/// placeholder a kapp-controller package ships is filled in place with the namespace's merged credentials, by update
/// only (the audit log shows no create and no delete of it), and emptied when the namespace opts out.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class PlaceholderTests(ControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ClusterScope _scope = fixture.NewScope(output);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task PackagePlaceholder_IsFilledInPlace_AndEmptiedOnOptOut()
    {
        var sources = await _scope.CreateNamespaceAsync("src");
        await _scope.PutSourceAsync(sources, "harbor", ClusterScope.DockerConfig(("harbor.example.com", "robot", "pw")));
        var team = await _scope.CreateNamespaceAsync("team");
        // The placeholder as secretgen-controller's documentation shows it, applied with kubectl as a package would.
        var (code, _, stderr) = await fixture.Plane.KubectlInputAsync($"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: reg-creds
              namespace: {team}
              annotations:
                secretgen.carvel.dev/image-pull-secret: ""
            type: kubernetes.io/dockerconfigjson
            data:
              .dockerconfigjson: e30K
            """, "apply", "-f", "-");
        Assert.True(code == 0, stderr);
        var uid = (string?)(await _scope.GetSecretAsync(team, "reg-creds"))!["metadata"]!["uid"];

        await _scope.StartProductAsync(sources, new Dictionary<string, string> { ["Placeholders:Enabled"] = "true" });

        await Eventually.WaitUntilAsync(async () => (await PayloadAsync(team)).Contains("harbor.example.com", StringComparison.Ordinal), "the placeholder is filled", diagnostics: _scope.Diagnostics);
        var filled = (await _scope.GetSecretAsync(team, "reg-creds"))!;
        Assert.Equal(uid, (string?)filled["metadata"]!["uid"]);
        Assert.Equal((string?)(await _scope.GetSecretAsync(team))!["data"]![".dockerconfigjson"], (string?)filled["data"]![".dockerconfigjson"]);

        await _scope.Admin.MergePatchAsync($"/api/v1/namespaces/{team}", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ClusterScope.InjectLabel] = "false" } } });

        await Eventually.WaitUntilAsync(async () => await PayloadAsync(team) == "{}", "the placeholder is emptied", diagnostics: _scope.Diagnostics);
        Assert.Equal(uid, (string?)(await _scope.GetSecretAsync(team, "reg-creds"))!["metadata"]!["uid"]);
        Assert.DoesNotContain(_scope.AuditSinceStart(), r => r.Resource == "secrets" && r.Name == "reg-creds" && r.Verb is "create" or "delete");
        Assert.Contains(_scope.AuditSinceStart(), r => r.Resource == "secrets" && r.Name == "reg-creds" && r.Verb == "patch" && r.Code == 200);
    }

    private async Task<string> PayloadAsync(string ns) =>
        Encoding.UTF8.GetString(Convert.FromBase64String((string)(await _scope.GetSecretAsync(ns, "reg-creds"))!["data"]![".dockerconfigjson"]!));
}
