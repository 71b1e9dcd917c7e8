using System.Text.Json.Nodes;
using k8s.Models;

namespace PullSecretWebhook.Kube;

/// <summary>
/// Writes to a Secret the product does not wholly own (a target it adopted, the TLS Secret <c>deploy/</c> may have
/// created, a placeholder a user made) as a JSON merge patch (RFC 7386) of exactly the labels, annotations and data
/// keys it changes, guarded by the resourceVersion it read (409 if the Secret changed since). A read-modify-PUT through
/// KubernetesClient's <see cref="V1Secret"/> would drop every field the model does not know; the patch leaves them,
/// and others' labels and annotations, as they are.
/// </summary>
internal sealed class SecretPatch
{
    private readonly JsonObject _labels = [];
    private readonly JsonObject _annotations = [];
    private readonly JsonObject _data = [];
    private readonly V1Secret _current;

    /// <param name="current">The Secret as read: its resourceVersion guards the patch.</param>
    public SecretPatch(V1Secret current)
    {
        ArgumentNullException.ThrowIfNull(current);
        _current = current;
    }

    public SecretPatch SetLabel(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    public SecretPatch SetAnnotation(string key, string value)
    {
        _annotations[key] = value;
        return this;
    }

    public SecretPatch RemoveAnnotation(string key)
    {
        _annotations[key] = null;
        return this;
    }

    public SecretPatch SetData(string key, byte[] value)
    {
        _data[key] = Convert.ToBase64String(value);
        return this;
    }

    /// <summary>Data becomes exactly <paramref name="data"/>: its keys set, every other key of the Secret read removed.</summary>
    public SecretPatch SetDataExactly(IReadOnlyDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var key in _current.Data?.Keys ?? [])
        {
            if (!data.ContainsKey(key))
            {
                _data[key] = null;
            }
        }

        foreach (var (key, value) in data)
        {
            SetData(key, value);
        }

        return this;
    }

    public V1Patch ToPatch()
    {
        var metadata = new JsonObject { ["resourceVersion"] = _current.Metadata?.ResourceVersion };
        if (_labels.Count > 0)
        {
            metadata["labels"] = _labels.DeepClone();
        }

        if (_annotations.Count > 0)
        {
            metadata["annotations"] = _annotations.DeepClone();
        }

        var patch = new JsonObject { ["metadata"] = metadata };
        if (_data.Count > 0)
        {
            patch["data"] = _data.DeepClone();
        }

        return new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
    }
}
