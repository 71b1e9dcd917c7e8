using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>Every 4xx carries the same JSON error body, whether routing refused the request or the endpoint did; and the
/// middleware that adds the body for routing leaves answers that have one alone.</summary>
public sealed class JsonStatusCodesTests
{
    [Theory]
    [InlineData("GET", "/no-such-path", 404, "NotFound")]
    [InlineData("POST", "/no-such-path", 404, "NotFound")]
    [InlineData("GET", "/mutate", 405, "MethodNotAllowed")]
    [InlineData("DELETE", "/mutate", 405, "MethodNotAllowed")]
    public async Task RoutingRefusal_GetsTheJsonErrorBody(string method, string path, int status, string reason)
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(status, (int)body["code"]!);
        Assert.Equal(reason, (string?)body["reason"]);
        Assert.Contains("POST /mutate", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointRefusalWithItsOwnBody_IsLeftAlone()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/mutate", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("UnsupportedMediaType", (string?)body["reason"]);
    }

    [Fact]
    public async Task Success_IsLeftAlone()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"reason\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
