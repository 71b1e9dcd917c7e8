using System.Globalization;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Discovery;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Selectors;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer;

/// <summary>
/// The resource-agnostic object store behind the fake: objects are kept as <see cref="JsonObject"/>
/// by resource type, namespace and name, so unknown fields survive verbatim. Every write takes the
/// next global resourceVersion and is recorded for watches, exactly like a write over HTTP
/// (the HTTP handlers call the same methods). Objects handed out are copies.
/// </summary>
public sealed partial class ObjectStore
{
    /// <summary>Namespaces every cluster has from the start; the first three cannot be deleted.</summary>
    private static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceType, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly LinkedList<HistoryEntry> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private int _watchesToEndAtOnce;
    private readonly int _historySize;
    private readonly ServerVersion _version;
    private readonly TimeProvider _time;
    private long _resourceVersion;
    private long _historyFloor;

    internal ObjectStore(int historySize, ServerVersion version, TimeProvider time)
    {
        _historySize = Math.Max(1, historySize);
        _version = version;
        _time = time;
        foreach (var type in ResourceCatalog.All)
        {
            _objects[type] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        }

        foreach (var ns in SystemNamespaces)
        {
            CreateObject(ResourceCatalog.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, WriteFlags.None);
        }
    }

    /// <summary>The latest resourceVersion handed out.</summary>
    public string ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return Status.Format(_resourceVersion);
            }
        }
    }

    /// <summary>Creates an object (defaulted and validated like a POST unless <paramref name="validate"/> is false).</summary>
    /// <param name="apiVersion">"v1", "coordination.k8s.io/v1", ...</param>
    /// <param name="resource">Plural resource name: "secrets", "namespaces", "leases", ...</param>
    /// <param name="ns">Namespace for namespaced resources, null for cluster-scoped ones.</param>
    /// <param name="obj">The object; its metadata.name (or generateName) is used.</param>
    /// <param name="validate">False seeds objects a real server would reject, and skips the namespace existence check.</param>
    public JsonObject Create(string apiVersion, string resource, string? ns, JsonObject obj, bool validate = true) =>
        CreateObject(TypeOf(apiVersion, resource), ns, obj, validate ? WriteFlags.None : WriteFlags.Seed);

    /// <summary>The object, or null when absent.</summary>
    public JsonObject? Get(string apiVersion, string resource, string? ns, string name)
    {
        var type = TypeOf(apiVersion, resource);
        lock (_gate)
        {
            return _objects[StorageMapping.StorageOf(type)].TryGetValue(ObjectShape.Key(ns, name), out var obj) ? StorageMapping.View(type, obj) : null;
        }
    }

    /// <summary>Objects of a type, in one namespace or (null) all, optionally filtered by a label selector.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string resource, string? ns = null, string? labelSelector = null) =>
        ListObjects(TypeOf(apiVersion, resource), ns, LabelSelector.Parse(labelSelector), FieldSelector.Everything, null, null).Items;

    /// <summary>Replaces an object (PUT semantics: a metadata.resourceVersion in it is a precondition).</summary>
    public JsonObject Update(string apiVersion, string resource, string? ns, JsonObject obj, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var name = ObjectShape.Name(obj) ?? throw new ArgumentException("metadata.name is required", nameof(obj));
        return UpdateObject(TypeOf(apiVersion, resource), ns ?? ObjectShape.Namespace(obj), name, obj, validate ? WriteFlags.None : WriteFlags.Seed);
    }

    /// <summary>Deletes an object (and, for a namespace, everything in it); null when it was absent.</summary>
    public JsonObject? Delete(string apiVersion, string resource, string? ns, string name)
    {
        var type = TypeOf(apiVersion, resource);
        lock (_gate)
        {
            return _objects[StorageMapping.StorageOf(type)].ContainsKey(ObjectShape.Key(ns, name))
                ? DeleteObject(type, ns, name, null, null, WriteFlags.Seed)
                : null;
        }
    }

    internal JsonObject GetObject(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects[StorageMapping.StorageOf(type)].TryGetValue(ObjectShape.Key(ns, name), out var obj)
                ? StorageMapping.View(type, obj)
                : throw Status.NotFound(type, name);
        }
    }

    internal bool Exists(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects[StorageMapping.StorageOf(type)].ContainsKey(ObjectShape.Key(ns, name));
        }
    }

    internal bool NamespaceExists(string ns)
    {
        lock (_gate)
        {
            return _objects[ResourceCatalog.Namespaces].ContainsKey(ns);
        }
    }

    private static ResourceType TypeOf(string apiVersion, string resource) =>
        ResourceCatalog.FindByApiVersion(apiVersion, resource)
        ?? throw new ArgumentException($"the fake does not serve {apiVersion} {resource}", nameof(resource));

    private string NextResourceVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private string Now() => ObjectShape.FormatTime(_time.GetUtcNow());

    /// <summary>Records a write and hands it to the watchers; trims history past its size.</summary>
    private void Record(ResourceType type, string key, string eventType, JsonObject obj, JsonObject? previous)
    {
        var entry = new HistoryEntry(_resourceVersion, type, key, eventType, obj, previous);
        _history.AddLast(entry);
        while (_history.Count > _historySize)
        {
            _historyFloor = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        foreach (var watcher in _watchers)
        {
            watcher.Offer(entry);
        }
    }
}
