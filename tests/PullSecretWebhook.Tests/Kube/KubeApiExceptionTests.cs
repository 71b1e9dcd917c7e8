using System.Net;
using PullSecretWebhook.Kube;
using k8s.Models;

namespace PullSecretWebhook.Tests.Kube;

public sealed class KubeApiExceptionTests
{
    [Theory]
    [InlineData(404, "NotFound", "NotFound")]
    [InlineData(404, null, "NotFound")]
    [InlineData(404, "Unknown", "NotFound")]
    [InlineData(409, "Conflict", "Conflict")]
    [InlineData(409, "AlreadyExists", "AlreadyExists")]
    [InlineData(409, null, "Conflict")]
    [InlineData(410, "Expired", "Gone")]
    [InlineData(410, null, "Gone")]
    [InlineData(422, "Invalid", "Invalid")]
    [InlineData(429, "TooManyRequests", "TooManyRequests")]
    [InlineData(401, "Unauthorized", "Unauthorized")]
    [InlineData(403, "Forbidden", "Forbidden")]
    [InlineData(404, "Forbidden", "Forbidden")]
    [InlineData(500, "InternalError", "")]
    public void Helpers_DecideOnStatusAndReason(int code, string? reason, string expected)
    {
        var error = new KubeApiException((HttpStatusCode)code, new V1Status { Reason = reason, Message = "whatever text" }, "GET /x");

        var actual = new Dictionary<string, bool>
        {
            ["NotFound"] = error.IsNotFound,
            ["Conflict"] = error.IsConflict,
            ["AlreadyExists"] = error.IsAlreadyExists,
            ["Gone"] = error.IsGone,
            ["Invalid"] = error.IsInvalid,
            ["TooManyRequests"] = error.IsTooManyRequests,
            ["Unauthorized"] = error.IsUnauthorized,
            ["Forbidden"] = error.IsForbidden,
        };

        Assert.Equal(expected.Length == 0 ? [] : [expected], actual.Where(p => p.Value).Select(p => p.Key).ToArray());
    }

    [Fact]
    public void Message_NamesRequestCodeReasonAndServerMessage()
    {
        var error = new KubeApiException(HttpStatusCode.Conflict, new V1Status { Reason = "Conflict", Message = "the object has been modified" }, "PUT /api/v1/namespaces/a/secrets/b");

        Assert.Equal("PUT /api/v1/namespaces/a/secrets/b: 409 Conflict: the object has been modified", error.Message);
    }
}
