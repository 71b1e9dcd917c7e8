using System.Collections;

namespace PullSecretWebhook.Admission;

/// <summary>The per-request log scope: who asked for what. Structured (each pair becomes a field in JSON logs) and
/// free of object content.</summary>
internal sealed class AdmissionLogScope(AdmissionRequest request) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly string? _pod = PodName(request);

    public int Count => 6;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("AdmissionUid", request.Uid),
        1 => new("Namespace", request.Namespace),
        2 => new("Pod", _pod),
        3 => new("Operation", request.Operation),
        4 => new("User", request.UserName),
        5 => new("Kind", request.Kind),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"AdmissionUid:{request.Uid} {request.Operation} {request.Kind} {request.Namespace}/{_pod} by {request.UserName}";

    /// <summary>Pods created by controllers have no name yet at admission: show the generateName prefix instead.</summary>
    private static string? PodName(AdmissionRequest request) =>
        request.Name is { Length: > 0 } name ? name : request.Pod?.Name ?? request.Pod?.GenerateName;
}
