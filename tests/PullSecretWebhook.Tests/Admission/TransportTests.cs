using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Admission;

/// <summary>The transport rules: content types, body sizes, malformed envelopes. Every error is a 4xx with a JSON
/// body naming the problem; nothing is 500.</summary>
public sealed class TransportTests
{
    public static TheoryData<string, string, int, string> Errors() => new()
    {
        { "text/plain", "{}", 415, "application/json" },
        { "application/x-www-form-urlencoded", "a=b", 415, "application/json" },
        { "application/yaml", "apiVersion: v1", 415, "application/json" },
        { "application/json", "", 400, "empty" },
        { "application/json", "{\"apiVersion\":", 400, "not valid JSON" },
        { "application/json", "not json", 400, "not valid JSON" },
        { "application/json", "[]", 400, "JSON object" },
        { "application/json", "\"AdmissionReview\"", 400, "JSON object" },
        { "application/json", "{}", 400, "apiVersion is missing" },
        { "application/json", "{\"apiVersion\":\"admission.k8s.io/v2\",\"request\":{}}", 400, "not supported" },
        { "application/json", "{\"apiVersion\":\"admission.k8s.io/v1\"}", 400, "request is missing" },
        { "application/json", "{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":[]}", 400, "request is missing" },
        { "application/json", "{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":42}}", 400, "request.uid" },
        { "application/json", new string('[', 100) + new string(']', 100), 400, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Mutate_BadRequest_AnswersStatusWithJsonProblem(string contentType, string body, int expectedStatus, string messagePart)
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (status, problem) = await AdmissionClient.PostAsync(client, body, contentType);

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedStatus, (int)problem["code"]!);
        Assert.Contains(messagePart, (string?)problem["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/merge-patch+json")]
    public async Task Mutate_JsonMediaTypeVariants_AreAccepted(string contentType)
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (status, answer) = await AdmissionClient.PostAsync(client, Reviews.PodCreate().ToJsonString(), contentType);

        Assert.Equal(200, status);
        Assert.NotNull(AdmissionClient.Patch(answer));
    }

    [Fact]
    public async Task Mutate_Answer_CarriesContentLength()
    {
        // A sized body, not a chunked one: on HTTP/1.1 the terminating chunk would be a second write per answer.
        await using var factory = new WebhookFactory();
        var body = System.Text.Encoding.UTF8.GetBytes(Reviews.PodCreate().ToJsonString());

        var context = await factory.Server.SendAsync(http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = "/mutate";
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = body.Length;
            http.Request.Body = new MemoryStream(body);
        });

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(new StreamReader(context.Response.Body).ReadToEnd().Length, context.Response.Headers.ContentLength);
    }

    [Fact]
    public async Task Mutate_MissingContentType_Is415()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();
        using var content = new ByteArrayContent("{}"u8.ToArray());

        using var response = await client.PostAsync(new Uri("/mutate", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Mutate_BodyOverLimit_Is413WithOrWithoutContentLength(bool sendContentLength)
    {
        await using var factory = new WebhookFactory(new() { ["Admission:MaxRequestBodyBytes"] = "4096" });
        using var client = factory.CreateClient();
        var review = Reviews.PodCreate();
        review["request"]!["object"]!["metadata"]!["annotations"] = new JsonObject { ["big"] = new string('x', 5000) };
        var bytes = System.Text.Encoding.UTF8.GetBytes(review.ToJsonString());
        using HttpContent content = sendContentLength ? new ByteArrayContent(bytes) : new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync(new Uri("/mutate", UriKind.Relative), content);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Admission:MaxRequestBodyBytes", (string?)problem["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutate_BodyJustUnderLimit_IsAnswered()
    {
        var padded = Reviews.PodCreate();
        padded["request"]!["object"]!["metadata"]!["annotations"] = new JsonObject { ["pad"] = new string('x', 2000) };
        var review = padded.ToJsonString();
        await using var factory = new WebhookFactory(new() { ["Admission:MaxRequestBodyBytes"] = review.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var client = factory.CreateClient();

        var (status, _) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Mutate_MissingUid_IsToleratedAndEchoedEmpty()
    {
        var review = Reviews.PodCreate();
        review["request"]!.AsObject().Remove("uid");
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        var (status, answer) = await AdmissionClient.PostAsync(client, review);

        Assert.Equal(200, status);
        Assert.Equal("", (string?)answer["response"]!["uid"]);
        Assert.NotNull(AdmissionClient.Patch(answer));
    }

    [Fact]
    public async Task Mutate_WrongMethod_IsNot5xx()
    {
        await using var factory = new WebhookFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/mutate", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Mutate_WhenLogicThrows_AllowsWithoutPatchEchoingUid()
    {
        await using var factory = new WebhookFactory(services: s =>
        {
            s.RemoveAll<INamespaceFactsSource>();
            s.AddSingleton<INamespaceFactsSource, ThrowingFacts>();
        });
        using var client = factory.CreateClient();

        var (status, answer) = await AdmissionClient.PostAsync(client, Reviews.PodCreate());

        Assert.Equal(200, status);
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", (string?)answer["response"]!["uid"]);
        Assert.True((bool)answer["response"]!["allowed"]!);
        Assert.Null(AdmissionClient.Patch(answer));
    }

    private sealed class ThrowingFacts : INamespaceFactsSource
    {
        public NamespaceFacts Get(string namespaceName) => throw new InvalidOperationException("cache exploded");
    }

    /// <summary>Forces chunked transfer: HttpClient cannot know the length of a non-seekable stream.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
