using System.Text.Json.Nodes;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Tests.Cli;

/// <summary><c>mutate</c> (README, "Command line"): the webhook's injection applied offline; the output re-parsed and
/// compared.</summary>
public sealed class MutateCommandTests
{
    private const string Deployment = """
        # the web tier
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: team-a
          labels:
            version: "1.10"
            legacy: 'yes'
        spec:
          replicas: 2
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: registry.example.com/web:1.0
                args: ["--ratio", "1.10", "true"]
              futureField: {kept: [1, 2]}
        """;

    [Fact]
    public async Task Mutate_Pod_AddsTheReferenceToItsSpec()
    {
        var (exitCode, output, error) = await MutateAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: app}
            spec:
              containers: [{name: app, image: busybox}]
            """);

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Equal("""[{"name":"pullsecret-webhook"}]""", Yaml(output)[0]["spec"]!["imagePullSecrets"]!.ToJsonString());
    }

    [Fact]
    public async Task Mutate_Deployment_AddsToTheTemplateAndKeepsEverythingElse()
    {
        var (_, output, _) = await MutateAsync(Deployment);

        var expected = Yaml(Deployment)[0];
        expected["spec"]!["template"]!["spec"]!["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "pullsecret-webhook" });
        Assert.Equal(expected.ToJsonString(), Yaml(output)[0].ToJsonString());
    }

    [Fact]
    public async Task Mutate_QuotedScalars_StayStrings()
    {
        var (_, output, _) = await MutateAsync(Deployment);

        Assert.Contains("version: \"1.10\"", output, StringComparison.Ordinal);
        Assert.Contains("legacy: 'yes'", output, StringComparison.Ordinal);
        Assert.Contains("[\"--ratio\", \"1.10\", \"true\"]", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1.10")]
    [InlineData("yes")]
    public async Task Mutate_SecretNameThatReadsAsAnotherType_IsQuoted(string secretName)
    {
        var (_, output, _) = await MutateAsync("kind: Pod\napiVersion: v1\nspec: {containers: []}\n", "--secret-name", secretName);

        Assert.Equal(secretName, (string?)Yaml(output)[0]["spec"]!["imagePullSecrets"]![0]!["name"]);
    }

    [Fact]
    public async Task Mutate_CronJob_AddsToTheJobTemplatesPodTemplateAfterExistingEntries()
    {
        var (_, output, _) = await MutateAsync("""
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly}
            spec:
              schedule: "0 0 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      imagePullSecrets: [{name: other}]
                      containers: [{name: c, image: busybox}]
            """);

        Assert.Equal("""[{"name":"other"},{"name":"pullsecret-webhook"}]""", Yaml(output)[0]["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["imagePullSecrets"]!.ToJsonString());
    }

    [Fact]
    public async Task Mutate_MultiDocumentYaml_KeepsOrderAndPassesOtherKindsThrough()
    {
        var input = string.Join("\n---\n", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {ver: \"1.10\"}", Deployment, "apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec: {template: {spec: {containers: []}}}");

        var (_, output, _) = await MutateAsync(input);

        var documents = Yaml(output);
        Assert.Equal(["ConfigMap", "Deployment", "Job"], documents.Select(d => (string?)d["kind"]));
        Assert.Equal(Yaml(input)[0].ToJsonString(), documents[0].ToJsonString());
        Assert.NotNull(documents[1]["spec"]!["template"]!["spec"]!["imagePullSecrets"]);
        Assert.NotNull(documents[2]["spec"]!["template"]!["spec"]!["imagePullSecrets"]);
    }

    [Fact]
    public async Task Mutate_NothingToChange_WritesTheInputUnchanged()
    {
        var input = "# comments survive\napiVersion: v1\nkind: Service\nmetadata: {name: svc}  # here too\n";

        var (exitCode, output, _) = await MutateAsync(input);

        Assert.Equal(0, exitCode);
        Assert.Equal(input, output);
    }

    [Theory]
    [InlineData("spec: {template: {metadata: {labels: {pullsecret-webhook.io/inject: \"false\"}}, spec: {containers: []}}}")]
    [InlineData("spec: {template: {spec: {containers: [], imagePullSecrets: [{name: pullsecret-webhook}]}}}")]
    [InlineData("metadata: {namespace: kube-system}\nspec: {template: {spec: {containers: []}}}")]
    public async Task Mutate_OptedOutAlreadyReferencedOrExcluded_IsLeftAlone(string rest)
    {
        var input = $"apiVersion: apps/v1\nkind: DaemonSet\n{rest}\n";

        var (_, output, _) = await MutateAsync(input);

        Assert.Equal(input, output);
    }

    [Fact]
    public async Task Mutate_ExcludedNamespaceByOption_IsLeftAlone()
    {
        var input = "apiVersion: v1\nkind: Pod\nspec: {containers: []}\n";

        var (_, excluded, _) = await MutateAsync(input, "-n", "legacy", "--exclude-namespace", "legacy");
        var (_, included, _) = await MutateAsync(input, "-n", "team-a", "--exclude-namespace", "legacy");

        Assert.Equal(input, excluded);
        Assert.NotEqual(input, included);
    }

    [Fact]
    public async Task Mutate_JsonList_AnswersJsonAndMutatesEachItem()
    {
        var input = """
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [], "x": 1.10}},
              {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}},
              {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"}, "spec": {"template": {"spec": {"imagePullSecrets": null}}}}
            ]}
            """;

        var (_, output, _) = await MutateAsync(input);

        var list = JsonNode.Parse(output)!;
        Assert.Equal("""[{"name":"pullsecret-webhook"}]""", list["items"]![0]!["spec"]!["imagePullSecrets"]!.ToJsonString());
        Assert.Equal("1.10", list["items"]![0]!["spec"]!["x"]!.ToJsonString());
        Assert.Equal(JsonNode.Parse(input)!["items"]![1]!.ToJsonString(), list["items"]![1]!.ToJsonString());
        Assert.Equal("""[{"name":"pullsecret-webhook"}]""", list["items"]![2]!["spec"]!["template"]!["spec"]!["imagePullSecrets"]!.ToJsonString());
    }

    [Fact]
    public async Task Mutate_Patch_AppliesToTheInputAndGivesTheMutatedOutput()
    {
        var input = """{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"imagePullSecrets":[{"name":"x"}]}},{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{"template":{"spec":{}}}}]}""";

        var (_, patches, _) = await MutateAsync(input, "--patch");
        var (_, mutated, _) = await MutateAsync(input);

        var entries = JsonNode.Parse(patches)!.AsArray();
        Assert.Equal(["Pod", "Job"], entries.Select(e => (string?)e!["kind"]));
        Assert.Equal([0, 1], entries.Select(e => (int)e!["item"]!));
        var document = JsonNode.Parse(input)!;
        foreach (var entry in entries)
        {
            document = JsonPatchApplier.Apply(document, entry!["patch"]!.AsArray());
        }

        Assert.Equal(JsonNode.Parse(mutated)!.ToJsonString(), document.ToJsonString());
    }

    [Fact]
    public async Task Mutate_PatchOfYamlStream_NamesDocumentsAndOutcomes()
    {
        var (_, patches, _) = await MutateAsync("kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n---\n" + Deployment, "--patch");

        var entries = JsonNode.Parse(patches)!.AsArray();
        Assert.Equal(["not_a_pod_template", "injected"], entries.Select(e => (string?)e!["outcome"]));
        Assert.Equal([0, 1], entries.Select(e => (int)e!["document"]!));
        Assert.Equal("web", (string?)entries[1]!["name"]);
        Assert.Equal("/spec/template/spec/imagePullSecrets", (string?)entries[1]!["patch"]![0]!["path"]);
        var document = JsonNode.Parse(Yaml(Deployment)[0].ToJsonString())!;
        Assert.NotNull(JsonPatchApplier.Apply(document, entries[1]!["patch"]!.AsArray())["spec"]!["template"]!["spec"]!["imagePullSecrets"]);
    }

    [Fact]
    public async Task Mutate_FromFile_ReadsIt()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("pod.json", """{"apiVersion":"v1","kind":"Pod","spec":{}}""");

        var (exitCode, output, _) = await CliRunner.RunAsync(["mutate", "-f", path]);

        Assert.Equal(0, exitCode);
        Assert.NotNull(JsonNode.Parse(output)!["spec"]!["imagePullSecrets"]);
    }

    [Theory]
    [InlineData(new[] { "mutate" }, "--filename")]
    [InlineData(new[] { "mutate", "-f", "-", "--secret-name", "Not_A_Name" }, "--secret-name")]
    [InlineData(new[] { "mutate", "-f", "-", "--bogus" }, "--bogus")]
    [InlineData(new[] { "mutat" }, "mutat")]
    public async Task Mutate_UsageError_ExitsTwoWithOneLine(string[] args, string named)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("/nonexistent/pod.yaml", "cannot read /nonexistent/pod.yaml")]
    [InlineData("-", "neither valid YAML nor valid JSON")]
    public async Task Mutate_BadInput_ExitsOneWithOneLine(string file, string message)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["mutate", "-f", file], input: "{\"kind\": ");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Mutate_ValueKubectlCannotConvert_ExitsOneNamingWhereItIs()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(["mutate", "-f", "-"], input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    limit: .inf\n");

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal("error: the input is neither valid YAML nor valid JSON: line 6, column 12: '.inf' is not a number JSON can hold\n", error);
    }

    [Fact]
    public async Task Help_EveryCommandAndOption_IsDescribed()
    {
        foreach (var command in new[] { "mutate", "explain", "render", "serve" })
        {
            var (exitCode, output, _) = await CliRunner.RunAsync([command, "--help"]);

            Assert.Equal(0, exitCode);
            Assert.Contains("Description:", output, StringComparison.Ordinal);
            Assert.DoesNotContain(output.Split('\n').SkipWhile(l => !l.StartsWith("Options:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0),
                line => line.Trim().StartsWith('-') && !line.Trim().Contains("  ", StringComparison.Ordinal));
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> MutateAsync(string input, params string[] extra) =>
        CliRunner.RunAsync(["mutate", "-f", "-", .. extra], input);

    /// <summary>Every document of a YAML stream as JSON, with the Kubernetes reading of scalars.</summary>
    private static List<JsonNode> Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => YamlJson.ToJson(d.RootNode)!)];
    }
}
