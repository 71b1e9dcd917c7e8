using System.Text.Json.Nodes;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Cli.Manifests;

namespace PullSecretWebhook.Tests.Cli;

/// <summary><c>mutate</c> on YAML changes only what it adds (README, "mutate"): comments, blank lines, indentation,
/// flow or block style and line endings of the input survive, each case compared byte for byte; what cannot be edited
/// in place is re-emitted from the model, and still right.</summary>
public sealed class MutateYamlLayoutTests
{
    public static TheoryData<string, string, string> Layouts() => new()
    {
        {
            "block spec, lists at the key's column (kubectl's style), comments around",
            """
            # a pod
            apiVersion: v1
            kind: Pod
            metadata:
              name: app   # its name
            spec:
              # the containers
              containers:
              - name: app
                image: busybox

              # the end of spec
            status: {}

            """,
            """
            # a pod
            apiVersion: v1
            kind: Pod
            metadata:
              name: app   # its name
            spec:
              # the containers
              containers:
              - name: app
                image: busybox
              imagePullSecrets:
              - name: pullsecret-webhook

              # the end of spec
            status: {}

            """
        },
        {
            "block spec, lists indented under their key",
            "kind: Pod\napiVersion: v1\nspec:\n    containers:\n        -   name: app\n            image: busybox\n",
            "kind: Pod\napiVersion: v1\nspec:\n    containers:\n        -   name: app\n            image: busybox\n    imagePullSecrets:\n        - name: pullsecret-webhook\n"
        },
        {
            "flow spec",
            "kind: Pod\napiVersion: v1\nspec: {containers: [{name: app, image: busybox}]}  # one line\n",
            "kind: Pod\napiVersion: v1\nspec: {containers: [{name: app, image: busybox}], imagePullSecrets: [{name: pullsecret-webhook}]}  # one line\n"
        },
        {
            "empty flow spec",
            "kind: Pod\napiVersion: v1\nspec: {}  # nothing yet\n",
            "kind: Pod\napiVersion: v1\nspec: {imagePullSecrets: [{name: pullsecret-webhook}]}  # nothing yet\n"
        },
        {
            "a flow list over several lines as the spec's last value",
            "kind: Pod\napiVersion: v1\nspec:\n  containers: [\n    {name: app, image: busybox}\n  ]\n# after\n",
            "kind: Pod\napiVersion: v1\nspec:\n  containers: [\n    {name: app, image: busybox}\n  ]\n  imagePullSecrets:\n  - name: pullsecret-webhook\n# after\n"
        },
        {
            "a block scalar as the spec's last value",
            "kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - name: app\n    args:\n    - |\n      two\n      lines\n# after\n",
            "kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - name: app\n    args:\n    - |\n      two\n      lines\n  imagePullSecrets:\n  - name: pullsecret-webhook\n# after\n"
        },
        {
            "imagePullSecrets: null, with a comment",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets: ~  # none yet\n  containers: []\n",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets:\n  - name: pullsecret-webhook  # none yet\n  containers: []\n"
        },
        {
            "imagePullSecrets with no value",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets:\n  containers: []\n",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets:\n  - name: pullsecret-webhook\n  containers: []\n"
        },
        {
            "imagePullSecrets in a flow spec, null",
            "kind: Pod\napiVersion: v1\nspec: {imagePullSecrets: null, containers: []}\n",
            "kind: Pod\napiVersion: v1\nspec: {imagePullSecrets: [{name: pullsecret-webhook}], containers: []}\n"
        },
        {
            "an existing block list: the new entry goes last",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets:\n  - name: theirs  # keep\n  containers: []\n",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets:\n  - name: theirs  # keep\n  - name: pullsecret-webhook\n  containers: []\n"
        },
        {
            "an existing flow list",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets: [ {name: theirs} ]\n  containers: []\n",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets: [ {name: theirs}, {name: pullsecret-webhook} ]\n  containers: []\n"
        },
        {
            "an existing empty flow list",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets: []\n  containers: []\n",
            "kind: Pod\napiVersion: v1\nspec:\n  imagePullSecrets: [{name: pullsecret-webhook}]\n  containers: []\n"
        },
        {
            "CRLF line ends and no line end at the end",
            "kind: Pod\r\napiVersion: v1\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: busybox",
            "kind: Pod\r\napiVersion: v1\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: busybox\r\n  imagePullSecrets:\r\n  - name: pullsecret-webhook\r\n"
        },
        {
            "a List and a second document, each template edited in place",
            "# two\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers: []\n- apiVersion: v1\n  kind: Pod\n  spec: {containers: []}\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: []  # none\n",
            "# two\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers: []\n    imagePullSecrets:\n    - name: pullsecret-webhook\n- apiVersion: v1\n  kind: Pod\n  spec: {containers: [], imagePullSecrets: [{name: pullsecret-webhook}]}\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: []  # none\n      imagePullSecrets:\n      - name: pullsecret-webhook\n"
        },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Mutate_Yaml_AddsOnlyTheReference(string layout, string input, string expected)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(["mutate", "-f", "-"], input);

        Assert.True(exitCode == 0, $"{layout}: {error}");
        Assert.Equal(expected, output);
    }

    [Fact]
    public async Task Mutate_SecretNameThatReadsAsAnotherType_IsQuotedInPlace()
    {
        var (_, output, _) = await CliRunner.RunAsync(["mutate", "-f", "-", "--secret-name", "true"], "kind: Pod\napiVersion: v1\nspec:\n  containers: []  # c\n");

        Assert.Equal("kind: Pod\napiVersion: v1\nspec:\n  containers: []  # c\n  imagePullSecrets:\n  - name: \"true\"\n", output);
    }

    /// <summary>A Pod template that comes from a merge key cannot take the reference without changing the merged mapping
    /// everywhere it is used: a clear error, nothing written.</summary>
    [Fact]
    public async Task Mutate_TemplateFromAMergeKey_FailsInOneLine()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(["mutate", "-f", "-"],
            "x-template: &t\n  template:\n    spec:\n      containers: []\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  <<: *t\n  replicas: 1\n");

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal("error: document 0: cannot add /spec/template/spec/imagePullSecrets: 'template' comes from a merge key (<<); write it out in the object to have the reference added\n", error);
    }

    /// <summary>The other side: an addition that has no edit in place (here a value that exists and is not null, which
    /// <c>mutate</c>'s own plans never replace) is written by re-emitting the model: right, but without comments.</summary>
    [Fact]
    public void Write_AdditionWithoutAnEditInPlace_ReEmitsTheModel()
    {
        var manifest = new YamlManifest("kind: Pod  # c\nspec:\n  note: old\n");

        manifest.Apply(0, new PatchOperation("add", "/spec/note", JsonValue.Create("new")));
        using var output = new StringWriter();
        manifest.Write(output);

        Assert.Equal("kind: Pod\nspec:\n  note: new\n", output.ToString());
    }
}
