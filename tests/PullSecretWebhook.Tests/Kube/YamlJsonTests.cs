using System.Globalization;
using System.Text.Json.Nodes;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>YAML read as kubectl reads it, with kubectl as the judge: <c>kubectl label --local -f FILE -o json</c>
/// converts a custom object's YAML with sigs.k8s.io/yaml and prints the JSON without a server. <see cref="YamlJson"/>
/// reads kubeconfig files, the CLI's manifests and the tests' manifests.</summary>
public sealed class YamlJsonTests : IDisposable
{
    /// <summary>Every form of plain scalar and key whose reading differs between YAML 1.1, YAML 1.2 and a naive parser.</summary>
    private const string Scalars = """
        apiVersion: example.com/v1
        kind: Thing
        metadata:
          name: scalars
        spec:
          keys:
            yes: a
            1.50: b
            017: c
            1e6: d
            0.0001: e
            0.00001: f
            123456.7: g
            16777217: h
            -0: i
            "18": j
            off: k
            0x1F: l
            plain: m
          words: [y, Y, yes, Yes, YES, n, N, no, No, NO, on, On, ON, off, Off, OFF, true, True, TRUE, false, False, FALSE, yES, oN, t, f]
          nulls: [~, null, Null, NULL, nULL, "~"]
          integers: [0, -0, +12, 017, 0777, 08, 0x1F, 0X1f, -0x1A, 0o17, -0o17, 0b101, 0B11, -0b101, 1_000, 0x_1F, 1__0]
          ranges: [2147483647, 2147483648, -2147483649, 9223372036854775807, 9223372036854775808, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809, +18446744073709551615]
          floats: [1., 0., .5, +.5, -.5, .5e3, 1e3, 1E3, 12e03, 1_0.5, 0.1, 1e400, 1e-400, 3.14159265358979323846]
          others:
          - "yes"
          - 'on'
          - 2001-12-14
          - 2001-12-14T21:59:43Z
          - 12:30
          - 1.2.3
          - 0x
          - 0xG
          - 0b2
          - 08.5.1
          - 1e
          - e3
          - +
          - .e3
          - ._5
          - "1"
          - !!str 123
          - !!str yes
          - 0o
          - 1_
          - v1.10
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ToJson_ReadsEveryScalarAndKey_AsKubectlDoes()
    {
        var kubectl = await KubectlJsonAsync(Scalars);
        var ours = ParseOne(Scalars);

        AssertSame(kubectl["spec"], ours["spec"], "spec");
    }

    /// <summary>Merge keys, where they stand and in lists, against explicit keys before and after them, and a quoted
    /// "&lt;&lt;" that is only a key.</summary>
    [Fact]
    public async Task ToJson_MergeKeys_AsKubectlApplies()
    {
        const string merges = """
            apiVersion: example.com/v1
            kind: Thing
            metadata:
              name: merges
            spec:
              base: &b {a: 1, b: 2}
              other: &o {c: 3, a: 9}
              before: {a: 0, <<: *b, z: 5}
              list:
                <<: [*b, *o]
              after:
                <<: *b
                a: 7
              quoted: {"<<": {a: 1}}
            """;

        AssertSame((await KubectlJsonAsync(merges))["spec"], ParseOne(merges)["spec"], "spec");
    }

    [Fact]
    public async Task StringNode_EveryStringWrittenBack_KubectlReadsAsTheSameString()
    {
        // Every text that reads as something else when plain, and some that do not.
        var texts = new[]
        {
            "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "~", "", "017", "0x1F", "1_000", "0b101", "0o17", "1e3", ".5", "-.inf",
            ".nan", "1e400", "2001-12-14", "12:30", "1.10", "v1.10", "a: b", "- x", "#x", "x #y", "'q'", "\"q\"", "plain", "with space",
            "harbor.example.com/team-a", "café", "tab\tin", "line\nbreak", "*x", "&x", "!x", "%x", "@x", "`x", "{x}", "[x]", "x,y", "?", "|", ">",
        };
        var spec = new JsonObject();
        for (var i = 0; i < texts.Length; i++)
        {
            spec[$"s{i}"] = texts[i];
        }

        var yaml = Emit(YamlJson.ToYaml(new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Thing",
            ["metadata"] = new JsonObject { ["name"] = "strings" },
            ["spec"] = spec,
        }));
        var kubectl = await KubectlJsonAsync(yaml);

        AssertSame(spec, kubectl["spec"], "spec");
        AssertSame(spec, ParseOne(yaml)["spec"], "spec (read back by YamlJson)");
    }

    public static TheoryData<string, string> Unconvertible() => new()
    {
        { "an infinite value", "x: .inf" },
        { "a NaN value", "x: .NaN" },
        { "a null key", "~: x" },
        { "a merge of a scalar", "m: {<<: 5}" },
    };

    [Theory]
    [MemberData(nameof(Unconvertible))]
    public async Task ToJson_WhatKubectlCannotConvert_IsAnErrorWithItsPosition(string what, string entry)
    {
        var yaml = $"apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: bad\nspec:\n  {entry}\n";
        var (exitCode, _, stderr) = await KubectlAsync(yaml);
        Assert.True(exitCode != 0, $"kubectl accepted {what}");
        Assert.Contains("converting YAML to JSON", stderr, StringComparison.Ordinal);

        var error = Assert.Throws<YamlException>(() => ParseOne(yaml));

        Assert.Equal(6, error.Start.Line);
    }

    private static JsonObject ParseOne(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return YamlJson.ToJson(stream.Documents.Single().RootNode)!.AsObject();
    }

    private static string Emit(YamlNode node)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> KubectlAsync(string yaml)
    {
        var file = _dir.Write($"{Guid.NewGuid():N}.yaml", yaml);
        // An empty kubeconfig: --local needs no cluster, and the machine's own configuration stays out of it.
        var kubeconfig = _dir.Write("kubeconfig", "apiVersion: v1\nkind: Config\n");
        return await RepositoryFiles.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "label", "--local", "-f", file, "judged=yes", "-o", "json"],
            installHint: "the YAML tests judge by kubectl (Debian: apt-get install kubernetes-client; CI installs it)");
    }

    private async Task<JsonObject> KubectlJsonAsync(string yaml)
    {
        var (exitCode, stdout, stderr) = await KubectlAsync(yaml);
        Assert.True(exitCode == 0, $"kubectl could not read the YAML: {stderr}");
        return JsonNode.Parse(stdout)!.AsObject();
    }

    /// <summary>The same JSON, numbers compared by value: kubectl prints 1. as 1 and 2^64-1 as 18446744073709552000.</summary>
    private static void AssertSame(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: kubectl reads null, YamlJson {actual?.ToJsonString()}");
                break;
            case JsonObject obj:
                var other = Assert.IsType<JsonObject>(actual);
                Assert.Equal(obj.Select(p => p.Key).Order(StringComparer.Ordinal), other.Select(p => p.Key).Order(StringComparer.Ordinal));
                foreach (var (key, value) in obj)
                {
                    AssertSame(value, other[key], $"{path}.{key}");
                }

                break;
            case JsonArray array:
                var items = Assert.IsType<JsonArray>(actual);
                Assert.True(array.Count == items.Count, $"{path}: {array.Count} items against {items.Count}");
                for (var i = 0; i < array.Count; i++)
                {
                    AssertSame(array[i], items[i], $"{path}[{i}]");
                }

                break;
            default:
                var kind = expected.GetValueKind();
                Assert.True(actual is not null && actual.GetValueKind() == kind, $"{path}: kubectl reads {expected.ToJsonString()}, YamlJson {actual?.ToJsonString() ?? "null"}");
                if (kind is System.Text.Json.JsonValueKind.Number)
                {
                    Assert.True(
                        double.Parse(expected.ToJsonString(), CultureInfo.InvariantCulture) == double.Parse(actual!.ToJsonString(), CultureInfo.InvariantCulture),
                        $"{path}: kubectl reads {expected.ToJsonString()}, YamlJson {actual!.ToJsonString()}");
                }
                else
                {
                    Assert.True(expected.ToJsonString() == actual!.ToJsonString(), $"{path}: kubectl reads {expected.ToJsonString()}, YamlJson {actual!.ToJsonString()}");
                }

                break;
        }
    }
}
