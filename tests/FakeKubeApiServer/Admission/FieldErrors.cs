using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Admission;

/// <summary>Collects <see cref="FieldError"/>s and turns them into the real 422 Invalid Status.</summary>
internal sealed class FieldErrors : List<FieldError>
{
    /// <summary>
    /// errors.NewInvalid: message <c>Kind.group "name" is invalid: e1</c> or <c>[e1, e2]</c>, details
    /// with the Kind (not the resource) and one cause per error.
    /// </summary>
    public void ThrowIfAny(ResourceType type, string? name)
    {
        if (Count == 0)
        {
            return;
        }

        var summary = Count == 1 ? this[0].ToString() : "[" + string.Join(", ", this) + "]";
        var causes = new JsonArray();
        foreach (var error in this)
        {
            causes.Add(new JsonObject { ["reason"] = error.Reason, ["message"] = error.Message, ["field"] = error.Field });
        }

        // StatusDetails.name is omitempty: a nameless object (generateName not yet applied) has none.
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Kind;
        details["causes"] = causes;
        throw new ApiException(422, "Invalid", $"{type.QualifiedKind} \"{name}\" is invalid: {summary}", details);
    }
}
