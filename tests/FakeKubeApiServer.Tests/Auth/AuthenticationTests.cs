using System.Net;
using System.Security.Cryptography.X509Certificates;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Auth;

public sealed class AuthenticationTests : FakeServerTest
{
    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        options.Tokens["sa-token"] = "system:serviceaccount:default:robot";
        return options;
    }

    [Fact]
    public async Task Request_WithoutCredentials_Returns401Status()
    {
        using var anonymous = Server.CreateHttpClient(token: "");

        var response = await anonymous.GetJsonAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Unauthorized", response.Reason);
        Assert.Equal(401, response.Object["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_WithUnknownToken_Returns401()
    {
        using var client = Server.CreateHttpClient(token: "wrong");

        var response = await client.GetJsonAsync("/version");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Request_WithConfiguredToken_AndNoRbacFiles_IsAllowed()
    {
        using var client = Server.CreateHttpClient(token: "sa-token");

        var response = await client.GetJsonAsync("/api/v1/namespaces/default/secrets");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("system:serviceaccount:default:robot", Server.Requests.Snapshot()[^1].User);
    }

    [Fact]
    public async Task Request_WithClientCertificateFromTheCa_IsAuthenticatedAsItsCommonName()
    {
        var (certPem, keyPem) = Server.IssueClientCertificate("alice", "devs");
        using var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        using var client = Server.CreateHttpClient(token: "", clientCertificate: certificate);

        var response = await client.GetJsonAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("alice", Server.Requests.Snapshot()[^1].User);
    }

    [Fact]
    public async Task Server_Certificate_IsSignedByCaForLoopbackNames()
    {
        Assert.Contains("BEGIN CERTIFICATE", Server.CaPem, StringComparison.Ordinal);
        using var client = Server.CreateHttpClient();
        client.BaseAddress = new Uri($"https://localhost:{Server.BaseAddress.Port}");

        var response = await client.GetJsonAsync("/version");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Request_OverHttp2_IsServed()
    {
        using var client = Server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
