using System.Diagnostics.Metrics;
using PullSecretWebhook.Observability;

namespace PullSecretWebhook.CredentialChecks;

/// <summary><c>pullsecret_webhook_credential_checks_total{result}</c> and the gauge
/// <c>pullsecret_webhook_credentials{verdict}</c> (leader only, so a sum over replicas counts each credential once).</summary>
internal sealed class CredentialCheckMetrics
{
    private readonly Counter<long> _checks;
    private readonly Meter _meter;

    public CredentialCheckMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(WebhookMetrics.MeterName);
        _checks = _meter.CreateCounter<long>("pullsecret_webhook_credential_checks", description: "Credential checks against registries, by result (valid, rejected, unreachable, probe_failed, unchecked).");
    }

    public void Observe(Func<IEnumerable<Measurement<long>>> byVerdict) =>
        _meter.CreateObservableGauge("pullsecret_webhook_credentials", byVerdict, description: "Distinct exported credentials by their last verdict (valid, rejected, unreachable, probe_failed, unchecked); reported by the Lease holder only.");

    public void Checked(CheckResult result) => _checks.Add(1, new KeyValuePair<string, object?>("result", result.Label));
}
