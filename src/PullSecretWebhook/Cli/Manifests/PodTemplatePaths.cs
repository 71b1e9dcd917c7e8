namespace PullSecretWebhook.Cli.Manifests;

/// <summary>Where the Pod (template) metadata and spec of a workload kind live, as JSON pointers from the object's root.</summary>
internal static class PodTemplatePaths
{
    private const string Template = "/spec/template";
    private const string CronJobTemplate = "/spec/jobTemplate/spec/template";

    /// <summary>Null for kinds that hold no Pod template (passed through unchanged). The API group is checked when the
    /// object names one, so that a custom resource that happens to be called <c>Deployment</c> is left alone.</summary>
    public static (string Metadata, string Spec)? For(string? apiVersion, string? kind)
    {
        var group = apiVersion is null ? null : apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        (string Metadata, string Spec)? paths = kind switch
        {
            "Pod" when group is null or "" => ("/metadata", "/spec"),
            "ReplicationController" when group is null or "" => (Template + "/metadata", Template + "/spec"),
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" when group is null or "apps" or "extensions" => (Template + "/metadata", Template + "/spec"),
            "Job" when group is null or "batch" => (Template + "/metadata", Template + "/spec"),
            "CronJob" when group is null or "batch" => (CronJobTemplate + "/metadata", CronJobTemplate + "/spec"),
            _ => null,
        };
        return paths;
    }
}
