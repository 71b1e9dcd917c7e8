using k8s;
using k8s.Models;

namespace PullSecretWebhook.Tests.Kube;

/// <summary>What the product changes in KubernetesClient's (process-wide) serializer settings, and why.</summary>
public sealed class KubeJsonTests
{
    private static readonly DateTime WholeSecond = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Package_DateTimeConverter_WritesAWholeSecondWithoutFraction()
    {
        // The package has one converter for Time and MicroTime. Right for a Time such as creationTimestamp; for a
        // MicroTime the API server requires the six digits, and refuses this form.
        Assert.Contains("\"2026-01-01T00:00:00Z\"", KubernetesJson.Serialize(new V1ObjectMeta { CreationTimestamp = WholeSecond }), StringComparison.Ordinal);
        Assert.Contains("\"2026-01-01T00:00:00.500000Z\"", KubernetesJson.Serialize(new V1ObjectMeta { CreationTimestamp = WholeSecond.AddMilliseconds(500) }), StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseTimes_AreWrittenAsMicroTimeEvenOnAWholeSecond_AndReadBack()
    {
        var json = KubernetesJson.Serialize(new V1LeaseSpec { AcquireTime = WholeSecond, RenewTime = WholeSecond.AddTicks(1234560), HolderIdentity = "a" });

        Assert.Contains("\"acquireTime\":\"2026-01-01T00:00:00.000000Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"renewTime\":\"2026-01-01T00:00:00.123456Z\"", json, StringComparison.Ordinal);
        var read = KubernetesJson.Deserialize<V1LeaseSpec>(json);
        Assert.Equal(WholeSecond, read.AcquireTime);
        Assert.Equal(DateTimeKind.Utc, read.AcquireTime!.Value.Kind);
        Assert.Equal(WholeSecond.AddTicks(1234560), read.RenewTime);
        Assert.Null(KubernetesJson.Deserialize<V1LeaseSpec>("""{"renewTime":null}""").RenewTime);
    }

    [Fact]
    public void EventTime_IsWrittenAsMicroTime()
    {
        var json = KubernetesJson.Serialize(new Corev1Event { EventTime = WholeSecond, Metadata = new V1ObjectMeta(), InvolvedObject = new V1ObjectReference() });

        Assert.Contains("\"eventTime\":\"2026-01-01T00:00:00.000000Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ManagedFields_AreSkippedWhenRead()
    {
        var secret = KubernetesJson.Deserialize<V1Secret>("""{"metadata":{"name":"s","managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]},"data":{"k":"dg=="}}""");

        Assert.Equal("s", secret.Metadata.Name);
        Assert.Null(secret.Metadata.ManagedFields);
        Assert.Equal("v"u8.ToArray(), secret.Data["k"]);
    }
}
