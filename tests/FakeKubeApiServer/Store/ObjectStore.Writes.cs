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
            if (!flags.HasFlag(WriteFlags.Seed) && type.Namespaced)
            {
                // The NamespaceLifecycle admission plugin, which runs before validation: no new objects in a
                // missing namespace, nor in one being deleted.
                if (!_objects[ResourceCatalog.Namespaces].TryGetValue(ns!, out var owner))
                {
                    throw Status.NamespaceNotFound(ns!);
                }

                if (IsTerminating(owner))
                {
                    throw Status.NamespaceTerminating(view, ObjectShape.Name(obj), ns!);
                }
            }

            if (string.IsNullOrEmpty(ObjectShape.Name(obj)) && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
            {
                metadata["name"] = GenerateName(type, ns, prefix);
            }

            if (!flags.HasFlag(WriteFlags.Seed))
            {
                ObjectAdmission.DropUnsupportedFields(type, obj, _version);
            }

            ObjectAdmission.Default(view, obj);
            if (!flags.HasFlag(WriteFlags.Seed))
            {
                ObjectAdmission.ValidateCreate(view, obj);
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
            return StorageMapping.View(view, ApplyUpdate(view, current, StorageMapping.ToStorage(view, (JsonObject)body.DeepClone()), flags, manager, patch: false));
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
            return StorageMapping.View(view, ApplyUpdate(view, current, patched, flags, manager, patch: true));
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
                throw Status.DeletePreconditionFailed(type, name, $"the UID in the precondition ({uidPrecondition}) does not match the UID in record ({ObjectShape.Uid(current)}). The object might have been deleted and then recreated");
            }

            if (rvPrecondition is not null && rvPrecondition != ObjectShape.ResourceVersion(current))
            {
                throw Status.DeletePreconditionFailed(type, name, $"the ResourceVersion in the precondition ({rvPrecondition}) does not match the ResourceVersion in record ({ObjectShape.ResourceVersion(current)}). The object might have been modified");
            }

            if (type == ResourceCatalog.Namespaces && UndeletableNamespaces.Contains(name))
            {
                throw new ApiException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted", Status.DetailsOf(type, name));
            }

            if (flags.HasFlag(WriteFlags.DryRun))
            {
                return StorageMapping.View(view, current);
            }

            if (type == ResourceCatalog.Namespaces)
            {
                // Terminating first (what the DELETE answers), then the namespace controller's work.
                var terminating = IsTerminating(current) ? current : MarkNamespaceTerminating(current);
                FinishNamespaceDeletion(name);
                return StorageMapping.View(view, terminating);
            }

            if (current["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
            {
                return StorageMapping.View(view, MarkForDeletion(type, current));
            }

            if (type == ResourceCatalog.Pods)
            {
                // A Pod on no node is deleted gracefully with a zero grace period: marked (a MODIFIED a watch
                // sees), then removed; the DELETE answers the marked Pod. A Pod on a node would wait for its
                // kubelet, which the fake does not have: it goes the same way, as if the kubelet agreed at once.
                var marked = MarkForDeletion(type, current);
                Remove(type, key);
                return StorageMapping.View(view, marked);
            }

            var deleted = Remove(type, key);
            FinishNamespaceDeletion(ns);
            return StorageMapping.View(view, deleted);
        }
    }

    /// <summary>
    /// PUT namespaces/NAME/finalize: replaces spec.finalizers and nothing else. A namespace being
    /// deleted whose finalizers are all gone is then deleted, as the namespace controller does.
    /// </summary>
    internal JsonObject FinalizeNamespace(string name, JsonObject body, string manager)
    {
        lock (_gate)
        {
            var current = _objects[ResourceCatalog.Namespaces].TryGetValue(name, out var found) ? found : throw Status.NotFound(ResourceCatalog.Namespaces, name);
            if (ObjectShape.Name(body) is { } bodyName && bodyName != name)
            {
                throw Status.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            var candidate = (JsonObject)current.DeepClone();
            var finalizers = body["spec"]?["finalizers"] as JsonArray ?? [];
            candidate["spec"] = finalizers.Count == 0 ? new JsonObject() : new JsonObject { ["finalizers"] = finalizers.DeepClone() };
            ObjectAdmission.ValidateFinalizeUpdate(candidate);
            if (IsTerminating(current) && finalizers.Count == 0 && current["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
            {
                // Deleted instead of updated (ShouldDeleteNamespaceDuringUpdate), whatever it still holds; the
                // DELETED event carries the last stored state.
                Remove(ResourceCatalog.Namespaces, name);
                return StorageMapping.View(ResourceCatalog.Namespaces, candidate);
            }

            var written = JsonNode.DeepEquals(candidate["spec"], current["spec"]) ? current : Write(ResourceCatalog.Namespaces, name, candidate, current, manager);
            FinishNamespaceDeletion(name);
            return StorageMapping.View(ResourceCatalog.Namespaces, written);
        }
    }

    private static bool IsTerminating(JsonObject ns) => ns["metadata"]?["deletionTimestamp"] is not null;

    private JsonObject MarkNamespaceTerminating(JsonObject current)
    {
        var marked = (JsonObject)current.DeepClone();
        ObjectShape.Metadata(marked)["deletionTimestamp"] = Now();
        marked["status"] = new JsonObject { ["phase"] = "Terminating" };
        return Write(ResourceCatalog.Namespaces, ObjectShape.Name(current)!, marked, current, manager: null);
    }

    /// <summary>
    /// The namespace controller, done at once: a namespace being deleted loses its contents (an
    /// object with finalizers is only marked, and holds the namespace until they are removed), then
    /// the controller's own <c>kubernetes</c> finalizer, then — when no other finalizer remains —
    /// itself. Each step is a watch event, as on a real cluster. Creating objects in it meanwhile
    /// is a 403 (see <see cref="CreateObject"/>).
    /// </summary>
    private void FinishNamespaceDeletion(string? ns)
    {
        if (ns is null || !_objects[ResourceCatalog.Namespaces].TryGetValue(ns, out var current) || !IsTerminating(current))
        {
            return;
        }

        var remaining = false;
        foreach (var namespaced in ResourceCatalog.All.Where(t => t.Namespaced))
        {
            foreach (var (key, obj) in _objects[namespaced].Where(p => p.Key.StartsWith(ns + "/", StringComparison.Ordinal)).ToList())
            {
                if (obj["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
                {
                    MarkForDeletion(namespaced, obj);
                    remaining = true;
                }
                else
                {
                    Remove(namespaced, key);
                }
            }
        }

        if (remaining)
        {
            return;
        }

        // The controller's finalize call: with other finalizers left it is an update, without any the store
        // deletes the namespace instead (its DELETED event still showing the kubernetes finalizer).
        var finalizers = current["spec"]?["finalizers"] as JsonArray ?? [];
        var left = new JsonArray([.. finalizers.Where(f => f?.GetValue<string>() != "kubernetes").Select(f => f?.DeepClone())]);
        if (left.Count == 0 && current["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            Remove(ResourceCatalog.Namespaces, ns);
        }
        else if (left.Count < finalizers.Count)
        {
            var finalized = (JsonObject)current.DeepClone();
            finalized["spec"] = new JsonObject { ["finalizers"] = left };
            Write(ResourceCatalog.Namespaces, ns, finalized, current, manager: null);
        }
    }

    /// <summary>Stores a new version of an existing object at the next resourceVersion, with its MODIFIED event.</summary>
    private JsonObject Write(ResourceType type, string key, JsonObject candidate, JsonObject previous, string? manager)
    {
        var stored = ObjectShape.Canonical(type, candidate);
        if (manager is not null)
        {
            ManagedFields.Stamp(type, stored, previous["metadata"]?["managedFields"] as JsonArray, manager, Now());
        }

        ObjectShape.Metadata(stored)["resourceVersion"] = NextResourceVersion();
        stored = ObjectShape.Canonical(type, stored);
        _objects[type][key] = stored;
        Record(type, key, "MODIFIED", stored, previous);
        return stored;
    }

    /// <summary>
    /// The update path shared by PUT, PATCH and direct updates: preconditions, server-owned
    /// fields carried over, defaulting, validation, generation, and a no-op when nothing changed
    /// (the real store skips the write, so no new resourceVersion and no watch event).
    /// </summary>
    /// <param name="patch">A PATCH (its result keeps the stored uid unless the patch changed it, which is invalid)
    /// rather than a PUT (whose uid is a precondition).</param>
    private JsonObject ApplyUpdate(ResourceType view, JsonObject current, JsonObject updated, WriteFlags flags, string manager, bool patch)
    {
        var type = StorageMapping.StorageOf(view);
        var name = ObjectShape.Name(current)!;
        var metadata = ObjectShape.Metadata(updated);
        var currentMetadata = (JsonObject)current["metadata"]!;
        if (ObjectShape.ResourceVersion(updated) is { Length: > 0 } rv && rv != ObjectShape.ResourceVersion(current))
        {
            throw Status.StaleResourceVersion(type, name);
        }

        if (patch)
        {
            ObjectAdmission.ValidateUidUnchanged(view, current, updated);
        }
        else if (ObjectShape.Uid(updated) is { Length: > 0 } uid && uid != ObjectShape.Uid(current))
        {
            throw Status.UidPreconditionFailed(type, ObjectShape.Namespace(current), name, uid, ObjectShape.Uid(current)!);
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

        ObjectAdmission.Default(view, updated, current);
        if (!flags.HasFlag(WriteFlags.Seed))
        {
            ObjectAdmission.ValidateUpdate(view, current, updated);
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
        if (currentMetadata["deletionTimestamp"] is not null && candidate["metadata"]?["finalizers"] is not JsonArray { Count: > 0 }
            && (type != ResourceCatalog.Namespaces || candidate["spec"]?["finalizers"] is not JsonArray { Count: > 0 }))
        {
            // The last finalizer is gone from an object being deleted: the store deletes instead of updating
            // (ShouldDeleteDuringUpdate). The DELETED event carries the last stored state (etcd's previous value,
            // finalizers and all); the answer is the object as the update made it. It may be what held its namespace.
            Remove(type, key);
            FinishNamespaceDeletion(type.Namespaced ? ObjectShape.Namespace(current) : null);
            return ObjectShape.Canonical(type, candidate);
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
