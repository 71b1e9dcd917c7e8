using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.Ecosystem;

/// <summary>The other tools' objects on the real control plane, and the test writer that plays their controllers.
/// The tools' CRDs are not installed on the 1.20 control plane, so stand-in CRDs with an open schema are: the recipes'
/// YAML is applied with kubectl as an operator would, each object gets a real uid, and the Secret the tool would write
/// carries a real <c>ownerReferences</c> entry that the garbage collector acts on. The Secret itself is derived from
/// the applied object (name, type, labels, annotations) and its template, whose text is pinned here: the rendering is
/// the C# equivalent of that exact text, so a recipe whose template changes fails until it is checked again.</summary>
internal static partial class ToolObjects
{
    /// <summary>ESO's <c>target.template.data[".dockerconfigjson"]</c> in the README's recipes.</summary>
    public const string EsoTemplate = """{{ dict "auths" (dict .server (dict "username" .username "password" .password "auth" (printf "%s:%s" .username .password | b64enc))) | toJson }}""";

    /// <summary>vault-secrets-operator's <c>spec.templates[".dockerconfigjson"]</c> in the README's recipe.</summary>
    public const string VaultTemplate = """{% dict "auths" (dict .Secrets.server (dict "username" .Secrets.username "password" .Secrets.password "auth" (printf "%s:%s" .Secrets.username .Secrets.password | b64enc))) | toJson %}""";

    private static readonly (string Group, string Version, string Kind, string Plural, string Scope)[] Kinds =
    [
        ("external-secrets.io", "v1", "ExternalSecret", "externalsecrets", "Namespaced"),
        ("external-secrets.io", "v1", "ClusterExternalSecret", "clusterexternalsecrets", "Cluster"),
        ("ricoberger.de", "v1alpha1", "VaultSecret", "vaultsecrets", "Namespaced"),
    ];

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>Installs the stand-in CRDs once per control plane and waits until they are served.</summary>
    public static async Task EnsureCrdsAsync(KubeAdmin admin)
    {
        await Installing.WaitAsync();
        try
        {
            foreach (var (group, version, kind, plural, scope) in Kinds)
            {
                var name = $"{plural}.{group}";
                if (await admin.GetAsync($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}") is null)
                {
                    await admin.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", new JsonObject
                    {
                        ["apiVersion"] = "apiextensions.k8s.io/v1",
                        ["kind"] = "CustomResourceDefinition",
                        ["metadata"] = new JsonObject { ["name"] = name },
                        ["spec"] = new JsonObject
                        {
                            ["group"] = group,
                            ["scope"] = scope,
                            ["names"] = new JsonObject { ["kind"] = kind, ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["listKind"] = kind + "List" },
                            ["versions"] = new JsonArray(new JsonObject
                            {
                                ["name"] = version,
                                ["served"] = true,
                                ["storage"] = true,
                                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                            }),
                        },
                    });
                }

                await Eventually.WaitUntilAsync(
                    async () => (await admin.GetAsync($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"))?["status"]?["conditions"]?.AsArray()
                        .Any(c => (string?)c!["type"] == "Established" && (string?)c["status"] == "True") == true,
                    $"CRD {name} is established");
                await Eventually.WaitUntilAsync(async () => (await admin.SendAsync(HttpMethod.Get, $"/apis/{group}/{version}/{plural}")).Status == System.Net.HttpStatusCode.OK, $"{plural} are served");
            }
        }
        finally
        {
            Installing.Release();
        }
    }

    /// <summary>The YAML of a README recipe (the fenced block starting <c># recipe: NAME</c>), its source namespace
    /// <c>pullsecret-webhook</c> replaced with the test's.</summary>
    public static string Recipe(string name, string sourceNamespace)
    {
        var readme = File.ReadAllText(Path.Combine(Tools.RepositoryRoot, "README.md"));
        var match = Regex.Match(readme, $"```yaml\n# recipe: {Regex.Escape(name)}\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"README.md has no recipe {name}");
        return match.Groups[1].Value
            .Replace("namespace: pullsecret-webhook", $"namespace: {sourceNamespace}", StringComparison.Ordinal)
            .Replace("kubernetes.io/metadata.name: pullsecret-webhook", $"kubernetes.io/metadata.name: {sourceNamespace}", StringComparison.Ordinal);
    }

    /// <summary><c>kubectl apply -f -</c> of a recipe, as the admin; the object as the API server stored it.</summary>
    public static async Task<JsonObject> ApplyAsync(KubeControlPlane plane, string yaml)
    {
        var (code, stdout, stderr) = await plane.KubectlInputAsync(yaml, "apply", "-f", "-", "-o", "json");
        Assert.True(code == 0, $"kubectl apply failed: {stderr}");
        return JsonNode.Parse(stdout)!.AsObject();
    }

    /// <summary>What ESO's template renders for these provider values: sprig's <c>dict</c> is a Go map, which
    /// <c>toJson</c> writes with its keys sorted.</summary>
    public static string RenderAuths(string server, string username, string password) =>
        new JsonObject
        {
            ["auths"] = new JsonObject
            {
                [server] = new JsonObject
                {
                    ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")),
                    ["password"] = password,
                    ["username"] = username,
                },
            },
        }.ToJsonString();

    /// <summary>The Secret ESO writes for an <c>ExternalSecret</c> with <c>creationPolicy: Owner</c>: named by
    /// <c>target.name</c>, typed and labelled by <c>target.template</c>, owned by the ExternalSecret.</summary>
    public static JsonObject EsoSecret(JsonObject externalSecret, string renderedConfig)
    {
        var spec = externalSecret["spec"]!;
        var template = spec["target"]!["template"]!;
        Assert.Equal(EsoTemplate, (string?)template["data"]![".dockerconfigjson"]);
        var meta = externalSecret["metadata"]!;
        var annotations = template["metadata"]?["annotations"]?.DeepClone().AsObject() ?? [];
        // ESO records a hash of what it wrote; a refresh that finds the same hash writes nothing.
        annotations["reconcile.external-secrets.io/data-hash"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(renderedConfig)))[..32].ToLowerInvariant();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = (string?)spec["target"]!["name"] ?? (string?)meta["name"],
                ["namespace"] = (string?)meta["namespace"],
                ["labels"] = template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(OwnerReference(externalSecret)),
            },
            ["type"] = (string?)template["type"],
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(renderedConfig)) },
        };
    }

    /// <summary>The <c>ExternalSecret</c> a <c>ClusterExternalSecret</c> makes in one selected namespace.</summary>
    public static JsonObject ExternalSecretFor(JsonObject clusterExternalSecret, string ns) => new()
    {
        ["apiVersion"] = "external-secrets.io/v1",
        ["kind"] = "ExternalSecret",
        ["metadata"] = new JsonObject
        {
            ["name"] = (string?)clusterExternalSecret["spec"]!["externalSecretName"] ?? (string?)clusterExternalSecret["metadata"]!["name"],
            ["namespace"] = ns,
            ["ownerReferences"] = new JsonArray(OwnerReference(clusterExternalSecret)),
        },
        ["spec"] = clusterExternalSecret["spec"]!["externalSecretSpec"]!.DeepClone(),
    };

    /// <summary>Whether a <c>ClusterExternalSecret</c>'s <c>namespaceSelectors</c> (OR of <c>matchLabels</c>) select a
    /// namespace with these labels.</summary>
    public static bool Selects(JsonObject clusterExternalSecret, JsonObject? namespaceLabels) =>
        clusterExternalSecret["spec"]!["namespaceSelectors"]!.AsArray().Any(selector =>
            selector!["matchLabels"]!.AsObject().All(l => (string?)namespaceLabels?[l.Key] == (string?)l.Value));

    /// <summary>The Secret vault-secrets-operator writes for a <c>VaultSecret</c>: the custom resource's name, its
    /// <c>spec.type</c>, its labels plus <c>created-by</c>, the keys of <c>spec.templates</c>.</summary>
    public static JsonObject VaultSecretSecret(JsonObject vaultSecret, string renderedConfig)
    {
        var spec = vaultSecret["spec"]!;
        Assert.Equal(VaultTemplate, (string?)spec["templates"]![".dockerconfigjson"]);
        var meta = vaultSecret["metadata"]!;
        var labels = meta["labels"]?.DeepClone().AsObject() ?? [];
        labels["created-by"] = "vault-secrets-operator";
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = (string?)meta["name"],
                ["namespace"] = (string?)meta["namespace"],
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(OwnerReference(vaultSecret)),
            },
            ["type"] = (string?)spec["type"],
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(renderedConfig)) },
        };
    }

    private static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = (string?)owner["apiVersion"],
        ["kind"] = (string?)owner["kind"],
        ["name"] = (string?)owner["metadata"]!["name"],
        ["uid"] = (string?)owner["metadata"]!["uid"],
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}
