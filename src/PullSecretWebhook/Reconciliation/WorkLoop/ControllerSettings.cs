namespace PullSecretWebhook.Reconciliation.WorkLoop;

/// <summary>How one <see cref="Controller{TWork}"/> runs: its workers, resync period and retry backoff.</summary>
internal readonly record struct ControllerSettings(int Workers, TimeSpan ResyncPeriod, TimeSpan RetryBaseDelay, TimeSpan RetryMaxDelay)
{
    public static ControllerSettings From(ReconcilerOptions options, int workers) =>
        new(workers, options.ResyncPeriod, options.RetryBaseDelay, options.RetryMaxDelay);
}
