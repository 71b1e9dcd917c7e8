namespace PullSecretWebhook.Kube;

/// <summary>
/// Loads the cluster configuration when the host starts, so a broken kubeconfig stops start-up with
/// its message, and says which cluster the server talks to, or that it runs the webhook alone.
/// </summary>
internal sealed partial class KubeStartupReporter(KubeConnectionState state, KubeEnvironment environment, ILogger<KubeStartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (state.IsConnected)
        {
            LogConnected(logger, state.Config.Server, state.Description, environment.OwnNamespace);
        }
        else
        {
            LogNotConnected(logger, state.Description);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes API server {Server} from {Source}; own namespace {Namespace}")]
    private static partial void LogConnected(ILogger logger, Uri server, string source, string @namespace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Kubernetes cluster configured ({Reason}): serving the webhook alone, without reconciliation or warnings about missing Secrets")]
    private static partial void LogNotConnected(ILogger logger, string reason);
}
