using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Builds AdmissionReview documents for table tests.</summary>
internal static class Reviews
{
    public static JsonObject PodCreate(
        string ns = "team-a",
        JsonObject? labels = null,
        JsonObject? annotations = null,
        JsonNode? imagePullSecrets = null,
        bool includeImagePullSecrets = false,
        string apiVersion = "admission.k8s.io/v1",
        string operation = "CREATE",
        string uid = "705ab4f5-6393-11e8-b7cc-42010a800002")
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example.com/team-a/app:1.0" }),
            ["futureField"] = new JsonObject { ["kept"] = true },
        };
        if (includeImagePullSecrets)
        {
            spec["imagePullSecrets"] = imagePullSecrets;
        }

        var metadata = new JsonObject { ["generateName"] = "app-7d4b9c-", ["namespace"] = ns };
        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return Review(apiVersion, uid, new JsonObject
        {
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = ns,
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:kube-system:replicaset-controller" },
            ["object"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec },
            ["dryRun"] = false,
        });
    }

    public static JsonObject Review(string apiVersion, string uid, JsonObject request)
    {
        request["uid"] = uid;
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "AdmissionReview", ["request"] = request };
    }
}
