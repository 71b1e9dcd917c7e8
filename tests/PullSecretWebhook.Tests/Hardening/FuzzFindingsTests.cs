using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>Regression tests for what the fuzz suite found: each was a 500 or a body-less error before its fix.</summary>
public sealed class FuzzFindingsTests
{
    public static TheoryData<byte[]> UndecodableStrings()
    {
        byte[] invalidByte = [.. Opening("\"uid\":\"a"), 0xFF, .. "\"}}"u8];                            // a byte that is never UTF-8
        byte[] overlong = [.. Opening("\"uid\":\"x\",\"kind\":{\"kind\":\"P"), 0xC0, 0x80, .. "\"}}}"u8];     // overlong encoding of NUL
        byte[] encodedSurrogate = [.. Opening("\"uid\":\"x\",\""), 0xED, 0xA0, 0x80, .. "\":1}}"u8];       // a surrogate in UTF-8, in a property name
        return new TheoryData<byte[]>
        {
            Review("\"uid\":\"ab\\ud800cd\""),                                                  // escaped unpaired high surrogate in the uid
            Review("\"uid\":\"x\",\"namespace\":\"\\udc00\""),                                   // unpaired low surrogate in a field the logic reads
            Review("\"uid\":\"x\",\"object\":{\"metadata\":{\"labels\":{\"pullsecret-webhook.io/inject\":\"\\ud83d\"}},\"spec\":{}}"),
            invalidByte,
            overlong,
            encodedSurrogate,
        };
    }

    [Theory]
    [MemberData(nameof(UndecodableStrings))]
    public async Task Mutate_StringThatIsNotUnicodeText_Is400NotValidJson(byte[] body)
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync(new Uri("/mutate", UriKind.Relative), content);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", (string?)problem["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutate_EscapedSurrogatePair_IsStillAccepted()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (status, answer) = await AdmissionClient.PostAsync(client, Reviews.PodCreate(uid: "emoji-\U0001F600").ToJsonString());

        Assert.Equal(200, status);
        Assert.Equal("emoji-\U0001F600", (string?)answer["response"]!["uid"]);
    }

    [Theory]
    [InlineData("GET", "/mutate", 405)]
    [InlineData("DELETE", "/mutate", 405)]
    [InlineData("POST", "/healthz", 405)]
    [InlineData("POST", "/validate", 404)]
    [InlineData("GET", "/nothing-here", 404)]
    public async Task WrongMethodOrPath_IsAnsweredWithTheJsonErrorBody(string method, string path, int expected)
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await client.SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, (int)problem["code"]!);
        Assert.Contains("POST /mutate", (string?)problem["message"], StringComparison.Ordinal);
    }

    /// <summary>A review up to and including <paramref name="requestMembers"/>, for bytes to be appended.</summary>
    private static byte[] Opening(string requestMembers) =>
        Encoding.UTF8.GetBytes($"{{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{{{requestMembers}");

    private static byte[] Review(string requestMembers) =>
        Encoding.UTF8.GetBytes($"{{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{{{requestMembers}}}}}");
}
