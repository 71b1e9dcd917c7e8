using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Hosting;

/// <summary>The drain: when the host begins to stop, before any hosted service (Kestrel included) stops, it turns
/// readiness off and waits <c>Shutdown:DrainDelay</c> while the server goes on answering. A lifecycle service's
/// StoppingAsync runs ahead of every StopAsync, whatever the registration order.</summary>
internal sealed partial class ShutdownDrain(ShutdownState state, IOptions<ShutdownOptions> options, TimeProvider time, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.MarkStopping();
        LogDraining(logger, options.Value.DrainDelay);
        try
        {
            await Task.Delay(options.Value.DrainDelay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutdown:Timeout ran out first: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Stopping: not ready any more; serving for {DrainDelay} more while endpoints are removed")]
    private static partial void LogDraining(ILogger logger, TimeSpan drainDelay);
}
