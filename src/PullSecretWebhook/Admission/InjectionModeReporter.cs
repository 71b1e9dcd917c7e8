using Microsoft.Extensions.Options;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Admission;

/// <summary>Says at start-up which injection mode is in effect, and when <c>MatchingRegistries</c> falls back to
/// <c>Always</c> for want of cluster caches.</summary>
internal sealed class InjectionModeReporter(IOptions<InjectionOptions> options, KubeConnectionState connection, ILogger<InjectionModeReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var mode = options.Value.Mode;
        if (mode == InjectionMode.MatchingRegistries && !connection.IsConnected)
        {
            AdmissionLog.InjectionModeFallback(logger, connection.Description);
        }
        else
        {
            AdmissionLog.ModeInEffect(logger, mode);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
