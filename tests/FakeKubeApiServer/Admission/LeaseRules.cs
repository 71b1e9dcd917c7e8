using System.Text.Json.Nodes;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Admission;

/// <summary>Lease decoding and validation (pkg/apis/coordination/validation): MicroTime times, and a positive
/// duration and non-negative transition count when set.</summary>
internal static class LeaseRules
{
    public static void Default(JsonObject lease)
    {
        if (lease["spec"] is JsonObject spec)
        {
            TimeFormats.NormalizeMicroTime(ResourceCatalog.Leases, spec, "acquireTime");
            TimeFormats.NormalizeMicroTime(ResourceCatalog.Leases, spec, "renewTime");
        }
    }

    public static void Validate(JsonObject lease, FieldErrors errors)
    {
        if (lease["spec"]?["leaseDurationSeconds"] is JsonValue duration && duration.TryGetValue<long>(out var seconds) && seconds <= 0)
        {
            errors.Add(new FieldError("FieldValueInvalid", "spec.leaseDurationSeconds", $"Invalid value: {seconds}: must be greater than 0"));
        }

        if (lease["spec"]?["leaseTransitions"] is JsonValue transitions && transitions.TryGetValue<long>(out var count) && count < 0)
        {
            errors.Add(new FieldError("FieldValueInvalid", "spec.leaseTransitions", $"Invalid value: {count}: must to greater or equal than 0"));
        }
    }
}
