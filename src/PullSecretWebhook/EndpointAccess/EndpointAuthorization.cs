namespace PullSecretWebhook.EndpointAccess;

/// <summary><c>Observability:Authorization</c>: who may read <c>/status</c> and <c>/metrics</c> (README, "Who may read
/// /status and /metrics").</summary>
internal enum EndpointAuthorization
{
    /// <summary>Callers the cluster allows: a bearer token, a TokenReview and a SubjectAccessReview for the path.</summary>
    Kubernetes,

    /// <summary>Anyone who reaches the port.</summary>
    None,
}
