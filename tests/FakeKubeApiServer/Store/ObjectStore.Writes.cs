using System.Text.Json.Nodes;
using FakeKubeApiServer.Admission;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer;

/// <summary>Create, update, patch and delete: the registry strategies of the real server, in short.</summary>
public sealed partial class ObjectStore
{
    private static readonly string[] ServerOwnedMetadata =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"];

    private static readonly string[] UndeletableNamespaces = ["default", "kube-system", "kube-public"];

    /// <summary>The field manager of writes made through <see cref="ObjectStore"/>'s public methods.</summary>
    internal const string DirectManager = "fake-apiserver-store";

    internal JsonObject CreateObject(ResourceType view, string? ns, JsonObject body, WriteFlags flags, string manager = DirectManager)
    {
        var type = StorageMapping.StorageOf(view);
        var obj = StorageMapping.ToStorage(view, (JsonObject)body.DeepClone());
        var metadata = ObjectShape.Metadata(obj);
        obj["kind"] = type.Kind;
        obj["apiVersion"] = type.ApiVersion;
        if (type.Namespaced)
        {
            ns = string.IsNullOrEmpty(ns) ? ObjectShape.Namespace(obj) : ns;
            metadata["namespace"] = string.IsNullOrEmpty(ns)
                ? throw Status.BadRequest("the namespace of the provided object is empty")
                : ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        lock (_gate)
        {
            if (string.IsNullOrEmpty(ObjectShape.Name(obj)) && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
            {
                metadata["name"] = GenerateName(type, ns, prefix);
            }

            if (!flags.HasFlag(WriteFlags.Seed))
            {
                ObjectAdmission.DropUnsupportedFields(type, obj, _version);
            }

            ObjectAdmission.Default(type, obj);
            if (!flags.HasFlag(WriteFlags.Seed))
            {
                ObjectAdmission.ValidateCreate(type, obj);
                if (type.Namespaced && !_objects[ResourceCatalog.Namespaces].ContainsKey(ns!))
                {
                    // The NamespaceLifecycle admission plugin: no objects in a missing namespace.
                    throw Status.NamespaceNotFound(ns!);
                }
            }

            var name = ObjectShape.Name(obj) ?? throw Status.BadRequest("name or generateName is required");
            var key = ObjectShape.Key(ns, name);
            if (_objects[type].ContainsKey(key))
            {
                throw Status.AlreadyExists(view, name);
            }

            foreach (var field in ServerOwnedMetadata)
            {
                metadata.Remove(field);
            }

            metadata.Remove("managedFields");
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            if (type.GenerationSource is not null)
            {
                metadata["generation"] = 1;
            }

            ManagedFields.Stamp(type, obj, null, manager, Now());

            if (flags.HasFlag(WriteFlags.DryRun))
            {
                return StorageMapping.View(view, obj);
            }

            metadata["resourceVersion"] = NextResourceVersion();
            var stored = ObjectShape.Canonical(type, obj);
            _objects[type][key] = stored;
            Record(type, key, "ADDED", stored, null);
            if (type == ResourceCatalog.Namespaces)
            {
                // The serviceaccount controller gives every namespace a "default" ServiceAccount.
                CreateObject(ResourceCatalog.ServiceAccounts, name, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, WriteFlags.Seed, "kube-controller-manager");
            }

            return StorageMapping.View(view, stored);
        }
    }

    internal JsonObject UpdateObject(ResourceType view, string? ns, string name, JsonObject body, WriteFlags flags, string manager = DirectManager)
    {
        var type = StorageMapping.StorageOf(view);
        lock (_gate)
        {
            var current = _objects[type].TryGetValue(ObjectShape.Key(ns, name), out var found) ? found : throw Status.NotFound(view, name);
            return StorageMapping.View(view, ApplyUpdate(type, current, StorageMapping.ToStorage(view, (JsonObject)body.DeepClone()), flags, manager));
        }
    }

    /// <summary>Applies <paramref name="patch"/> to a copy of the current object, then updates.</summary>
    internal JsonObject PatchObject(ResourceType view, string? ns, string name, Func<JsonObject, JsonObject> patch, WriteFlags flags, string manager = DirectManager)
    {
        var type = StorageMapping.StorageOf(view);
        lock (_gate)
        {
            var current = _objects[type].TryGetValue(ObjectShape.Key(ns, name), out var found) ? found : throw Status.NotFound(view, name);
            var patched = StorageMapping.ToStorage(view, patch(StorageMapping.View(view, current)));
            return StorageMapping.View(view, ApplyUpdate(type, current, patched, flags, manager));
        }
    }

    internal JsonObject DeleteObject(ResourceType view, string? ns, string name, string? uidPrecondition, string? rvPrecondition, WriteFlags flags)
    {
        var type = StorageMapping.StorageOf(view);
        lock (_gate)
        {
            var key = ObjectShape.Key(ns, name);
            var current = _objects[type].TryGetValue(key, out var found) ? found : throw Status.NotFound(view, name);
            if (uidPrecondition is not null && uidPrecondition != ObjectShape.Uid(current))
            {
                throw Status.Conflict(type, name, $"Precondition failed: UID in precondition: {uidPrecondition}, UID in object meta: {ObjectShape.Uid(current)}");
            }

            if (rvPrecondition is not null && rvPrecondition != ObjectShape.ResourceVersion(current))
            {
                throw Status.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rvPrecondition}, ResourceVersion in object meta: {ObjectShape.ResourceVersion(current)}");
            }

            if (type == ResourceCatalog.Namespaces && UndeletableNamespaces.Contains(name))
            {
                throw new ApiException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted", Status.DetailsOf(type, name));
            }

            if (flags.HasFlag(WriteFlags.DryRun))
            {
                return StorageMapping.View(view, current);
            }

            if (current["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
            {
                return StorageMapping.View(view, MarkForDeletion(type, current));
            }

            if (type == ResourceCatalog.Namespaces)
            {
                // The namespace controller empties a deleted namespace; here it happens at once,
                // with a DELETED event for every object, before the namespace itself goes.
                foreach (var namespaced in ResourceCatalog.All.Where(t => t.Namespaced))
                {
                    foreach (var inner in _objects[namespaced].Where(p => p.Key.StartsWith(name + "/", StringComparison.Ordinal)).Select(p => p.Key).ToList())
                    {
                        Remove(namespaced, inner);
                    }
                }
            }

            return StorageMapping.View(view, Remove(type, key));
        }
    }

    /// <summary>
    /// The update path shared by PUT, PATCH and direct updates: preconditions, server-owned
    /// fields carried over, defaulting, validation, generation, and a no-op when nothing changed
    /// (the real store skips the write, so no new resourceVersion and no watch event).
    /// </summary>
    private JsonObject ApplyUpdate(ResourceType type, JsonObject current, JsonObject updated, WriteFlags flags, string manager)
    {
        var name = ObjectShape.Name(current)!;
        var metadata = ObjectShape.Metadata(updated);
        var currentMetadata = (JsonObject)current["metadata"]!;
        if (ObjectShape.ResourceVersion(updated) is { Length: > 0 } rv && rv != ObjectShape.ResourceVersion(current))
        {
            throw Status.StaleResourceVersion(type, name);
        }

        if (ObjectShape.Uid(updated) is { Length: > 0 } uid && uid != ObjectShape.Uid(current))
        {
            throw Status.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectShape.Uid(current)}");
        }

        updated["kind"] = type.Kind;
        updated["apiVersion"] = type.ApiVersion;
        metadata["name"] = name;
        foreach (var field in ServerOwnedMetadata.Append("namespace").Append("generateName"))
        {
            metadata.Remove(field);
            if (currentMetadata[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        if (!flags.HasFlag(WriteFlags.Seed))
        {
            ObjectAdmission.DropUnsupportedFields(type, updated, _version);
        }

        ObjectAdmission.Default(type, updated);
        if (!flags.HasFlag(WriteFlags.Seed))
        {
            ObjectAdmission.ValidateUpdate(type, current, updated);
        }

        if (type.GenerationSource is { } source && !JsonNode.DeepEquals(current[source], updated[source]))
        {
            metadata["generation"] = (currentMetadata["generation"]?.GetValue<long>() ?? 0) + 1;
        }

        // managedFields are the server's: what the client sent there is replaced by the record
        // kept so far, and a write that changes nothing else does not touch it either.
        metadata.Remove("managedFields");
        if (currentMetadata["managedFields"] is { } managedFields)
        {
            metadata["managedFields"] = managedFields.DeepClone();
        }

        var candidate = ObjectShape.Canonical(type, updated);
        if (JsonNode.DeepEquals(candidate, current))
        {
            return ObjectShape.Canonical(type, current);
        }

        ManagedFields.Stamp(type, candidate, currentMetadata["managedFields"] as JsonArray, manager, Now());
        if (flags.HasFlag(WriteFlags.DryRun))
        {
            return ObjectShape.Canonical(type, candidate);
        }

        var key = ObjectShape.Key(ObjectShape.Namespace(current), name);
        if (currentMetadata["deletionTimestamp"] is not null && candidate["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            // The last finalizer is gone from an object being deleted: now it really goes.
            _objects[type][key] = candidate;
            return ObjectShape.Canonical(type, Remove(type, key));
        }

        ObjectShape.Metadata(candidate)["resourceVersion"] = NextResourceVersion();
        _objects[type][key] = candidate;
        Record(type, key, "MODIFIED", candidate, current);
        return ObjectShape.Canonical(type, candidate);
    }

    /// <summary>An object with finalizers is only marked (deletionTimestamp) until they are removed.</summary>
    private JsonObject MarkForDeletion(ResourceType type, JsonObject current)
    {
        if (current["metadata"]?["deletionTimestamp"] is not null)
        {
            return ObjectShape.Canonical(type, current);
        }

        var marked = (JsonObject)current.DeepClone();
        var metadata = ObjectShape.Metadata(marked);
        metadata["deletionTimestamp"] = Now();
        metadata["deletionGracePeriodSeconds"] = 0;
        metadata["resourceVersion"] = NextResourceVersion();
        var stored = ObjectShape.Canonical(type, marked);
        var key = ObjectShape.Key(ObjectShape.Namespace(current), ObjectShape.Name(current)!);
        _objects[type][key] = stored;
        Record(type, key, "MODIFIED", stored, current);
        return ObjectShape.Canonical(type, stored);
    }

    /// <summary>Removes an object; the DELETED event carries it at the deletion's resourceVersion.</summary>
    private JsonObject Remove(ResourceType type, string key)
    {
        var previous = _objects[type][key];
        _objects[type].Remove(key);
        var deleted = (JsonObject)previous.DeepClone();
        ObjectShape.Metadata(deleted)["resourceVersion"] = NextResourceVersion();
        Record(type, key, "DELETED", deleted, previous);
        return deleted;
    }

    /// <summary>names.SimpleNameGenerator: the prefix plus 5 random characters without vowels.</summary>
    private string GenerateName(ResourceType type, string? ns, string prefix)
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var trimmed = prefix.Length > 58 ? prefix[..58] : prefix;
        while (true)
        {
            var suffix = string.Create(5, 0, (span, _) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
                }
            });
            if (!_objects[type].ContainsKey(ObjectShape.Key(ns, trimmed + suffix)))
            {
                return trimmed + suffix;
            }
        }
    }
}
