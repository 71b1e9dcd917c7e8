using System.Text.Json;
using PullSecretWebhook.Admission.Wire;
using PullSecretWebhook.Selection;

namespace PullSecretWebhook.Admission;

/// <summary>What the injection decision reads from a Pod (a request's object, or a Pod template in a manifest), read
/// once. Both readers of a review produce it — <see cref="AdmissionReviewReader"/> from a parsed document and
/// <see cref="AdmissionReviewScanner"/> in one forward pass — so the decision itself needs no JSON and the two cannot
/// drift apart in what they look at. Fields of the wrong JSON type count as absent, as everywhere in a request.</summary>
internal sealed record PodFacts
{
    public string? Name { get; init; }
    public string? GenerateName { get; init; }

    /// <summary><c>metadata.namespace</c>; the request's own namespace takes precedence over it.</summary>
    public string? Namespace { get; init; }

    /// <summary>The value of the opt-out label (<see cref="WellKnown.InjectLabel"/>), when it is a string.</summary>
    public string? InjectLabel { get; init; }

    /// <summary>The mirror-Pod annotation is present (whatever its value).</summary>
    public bool IsMirror { get; init; }

    /// <summary><c>spec</c> is an object; without one no add-only patch can apply.</summary>
    public bool HasSpec { get; init; }

    public PullSecretsField PullSecrets { get; init; }

    /// <summary>The string <c>name</c>s of the <c>imagePullSecrets</c> entries, in order.</summary>
    public IReadOnlyList<string> PullSecretNames { get; init; } = [];

    /// <summary>The string <c>image</c>s of the containers, init containers and ephemeral containers.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>The container lists whose images the kubelet pulls.</summary>
    public static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    /// <summary>Reads the facts from a Pod's (or template's) <c>metadata</c> and <c>spec</c> elements; either may be
    /// <c>default</c> (absent).</summary>
    public static PodFacts From(JsonElement metadata, JsonElement spec)
    {
        var labels = AdmissionReviewReader.Member(metadata, "labels");
        var annotations = AdmissionReviewReader.Member(metadata, "annotations");
        var facts = new PodFacts
        {
            Name = AdmissionReviewReader.GetString(metadata, "name"),
            GenerateName = AdmissionReviewReader.GetString(metadata, "generateName"),
            Namespace = AdmissionReviewReader.GetString(metadata, "namespace"),
            InjectLabel = AdmissionReviewReader.GetString(labels, WellKnown.InjectLabel),
            IsMirror = annotations.ValueKind == JsonValueKind.Object && annotations.TryGetProperty(WellKnown.MirrorPodAnnotation, out _),
            HasSpec = spec.ValueKind == JsonValueKind.Object,
        };
        if (!facts.HasSpec)
        {
            return facts;
        }

        var field = PullSecretsField.Absent;
        List<string>? names = null;
        if (spec.TryGetProperty("imagePullSecrets", out var pullSecrets) && pullSecrets.ValueKind != JsonValueKind.Null)
        {
            field = pullSecrets.ValueKind == JsonValueKind.Array ? PullSecretsField.List : PullSecretsField.NotAList;
            if (field == PullSecretsField.List)
            {
                foreach (var entry in pullSecrets.EnumerateArray())
                {
                    if (AdmissionReviewReader.GetString(entry, "name") is { } name)
                    {
                        (names ??= []).Add(name);
                    }
                }
            }
        }

        return facts with { PullSecrets = field, PullSecretNames = names ?? [], Images = ImagesOf(spec) };
    }

    /// <summary>The string images of every container list of a spec element.</summary>
    public static IReadOnlyList<string> ImagesOf(JsonElement spec)
    {
        List<string>? images = null;
        foreach (var list in ContainerLists)
        {
            if (AdmissionReviewReader.Member(spec, list) is { ValueKind: JsonValueKind.Array } containers)
            {
                foreach (var container in containers.EnumerateArray())
                {
                    if (AdmissionReviewReader.GetString(container, "image") is { } image)
                    {
                        (images ??= []).Add(image);
                    }
                }
            }
        }

        return images ?? (IReadOnlyList<string>)[];
    }
}
