using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;
using FakeKubeApiServer.Yaml;

namespace FakeKubeApiServer.Auth;

/// <summary>
/// Seeds the store with the Roles, ClusterRoles and bindings of plain RBAC manifests; other kinds
/// in the files (Deployments, Services...) are ignored, so a project's deploy YAML can be used as is.
/// </summary>
internal static class RbacManifestLoader
{
    public static void Load(ObjectStore store, IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            foreach (var document in YamlJson.ParseAll(File.ReadAllText(file)).OfType<JsonObject>())
            {
                var items = document["kind"]?.GetValue<string>() == "List"
                    ? (document["items"] as JsonArray ?? []).OfType<JsonObject>()
                    : [document];
                foreach (var item in items)
                {
                    var type = ResourceCatalog.FindByKind(item["apiVersion"]?.GetValue<string>() ?? "", item["kind"]?.GetValue<string>() ?? "");
                    if (type is not null && type.Group == "rbac.authorization.k8s.io")
                    {
                        store.CreateObject(type, type.Namespaced ? ObjectShape.Namespace(item) ?? "default" : null, item, WriteFlags.Seed);
                    }
                }
            }
        }
    }
}
