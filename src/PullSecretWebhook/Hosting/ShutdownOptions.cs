namespace PullSecretWebhook.Hosting;

/// <summary>Settings section <c>Shutdown</c>: how the server leaves when Kubernetes stops its Pod.</summary>
internal sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary><c>Shutdown:DrainDelay</c>: after SIGTERM, how long the server keeps serving (with <c>/readyz</c> at
    /// 503) before it stops. Endpoint removal reaches the API server and kube-proxy only after a few seconds, and
    /// requests routed to the Pod meanwhile must still be answered.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Shutdown:Timeout</c>: the whole shutdown, drain included (HostOptions.ShutdownTimeout); must stay
    /// below the Pod's terminationGracePeriodSeconds (30 s by default) or the kubelet kills the process first.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);
}
