using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Reconciliation;

/// <summary><c>Sources:Secrets</c> (README, "When the tool cannot set labels"): a Secret named in the settings is
/// exported without the label, with the settings' scope; only in a source namespace, which start-up enforces; and a
/// Secret neither labelled nor named is never exported.</summary>
public sealed class NamedSourceTests : IAsyncLifetime
{
    private const string Source = ReconcilerHarness.SourceNamespace;
    private ReconcilerHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ReconcilerHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task NamedSecret_WithoutTheLabel_IsExportedWithTheSettingsScope()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("other");
        PutUnlabelled(Source, "written-by-a-tool", ("harbor.example.com", "robot", "pw"));
        PutUnlabelled(Source, "not-named", ("unnamed.example.com", "x", "y"));
        var server = _cluster.StartServer(new()
        {
            ["Sources:Secrets:0:Namespace"] = Source,
            ["Sources:Secrets:0:Name"] = "written-by-a-tool",
            ["Sources:Secrets:0:ToNamespaces"] = "team-*",
        });

        await _cluster.WaitForRegistriesAsync("team-a", "harbor.example.com");
        Assert.Null(_cluster.GetSecret("other"));
        using (var client = server.CreateClient())
        {
            var status = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonObject>(client, new Uri("/status", UriKind.Relative));
            var sources = status!["sources"]!.AsArray();
            Assert.True((bool)sources.Single(s => (string?)s!["source"] == $"{Source}/written-by-a-tool")!["named"]!);
            Assert.DoesNotContain(sources, s => (string?)s!["source"] == $"{Source}/not-named");
        }

        // Rotation and deletion follow the named Secret like any source.
        PutUnlabelled(Source, "written-by-a-tool", ("harbor.example.com", "robot", "rotated"), ("ghcr.io", "bot", "pw"));
        await _cluster.WaitForRegistriesAsync("team-a", "ghcr.io", "harbor.example.com");
        _cluster.Fake.Store.Delete("v1", "secrets", Source, "written-by-a-tool");
        await _cluster.WaitForNoTargetAsync("team-a");
    }

    [Fact]
    public async Task NamedSecret_WithoutSettingsScope_UsesItsOwnAnnotations()
    {
        _cluster.CreateNamespace("team-a");
        _cluster.CreateNamespace("team-b");
        _cluster.PutUnlabelledSource(Source, "annotated", [("harbor.example.com", "robot", "pw")], new() { ["pullsecret-webhook.io/to-namespaces"] = "team-b" });
        _cluster.StartServer(new() { ["Sources:Secrets:0:Namespace"] = Source, ["Sources:Secrets:0:Name"] = "annotated" });

        await _cluster.WaitForRegistriesAsync("team-b", "harbor.example.com");
        Assert.Null(_cluster.GetSecret("team-a"));
    }

    [Theory]
    [InlineData("tenant", "creds", "", "Sources:Secrets:0:Namespace")]
    [InlineData(Source, "Not_A_Name", "", "Sources:Secrets:0:Name")]
    [InlineData(Source, "creds", "team a", "Sources:Secrets:0")]
    public async Task NamedSecret_OutsideSourceNamespacesOrMalformed_StopsStartUpNamingTheSetting(string ns, string name, string toNamespaces, string setting)
    {
        List<string> arguments = [$"--Sources:Secrets:0:Namespace={ns}", $"--Sources:Secrets:0:Name={name}", "--urls=https://127.0.0.1:0"];
        if (toNamespaces.Length > 0)
        {
            arguments.Add($"--Sources:Secrets:0:ToNamespaces={toNamespaces}");
        }

        // The real process: a WebApplicationFactory host that fails to start sometimes reports ObjectDisposedException
        // instead of the validation error when the machine is loaded.
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(arguments, new Dictionary<string, string> { ["POD_NAMESPACE"] = Source }, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains(setting, StringComparison.Ordinal), output);
    }

    private void PutUnlabelled(string ns, string name, params (string Registry, string User, string Password)[] entries) =>
        _cluster.PutUnlabelledSource(ns, name, entries);
}
