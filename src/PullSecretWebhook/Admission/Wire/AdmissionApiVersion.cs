namespace PullSecretWebhook.Admission.Wire;

/// <summary>The AdmissionReview versions the API server may send (v1beta1 only when a configuration still lists it
/// in <c>admissionReviewVersions</c>). The response must use the version of the request.</summary>
internal static class AdmissionApiVersion
{
    public const string V1 = "admission.k8s.io/v1";
    public const string V1Beta1 = "admission.k8s.io/v1beta1";

    /// <summary>Returns the interned constant for a supported version, so the response writer never echoes
    /// arbitrary client text, or null when the version is not supported.</summary>
    public static string? Recognise(string? apiVersion) => apiVersion switch
    {
        V1 => V1,
        V1Beta1 => V1Beta1,
        _ => null,
    };
}
