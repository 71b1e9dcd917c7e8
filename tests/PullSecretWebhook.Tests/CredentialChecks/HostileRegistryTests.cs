using Microsoft.AspNetCore.Http;
using PullSecretWebhook.CredentialChecks;
using PullSecretWebhook.Tests.CredentialChecks.Support;

namespace PullSecretWebhook.Tests.CredentialChecks;

/// <summary>Bad answers give a verdict with a reason, within the timeout, and never send the credential where it was
/// not meant to go.</summary>
[Collection(RegistryGroup.Name)]
public sealed class HostileRegistryTests(RegistryFixture registries)
{
    private const string Password = "hostile-secret-password";

    [Fact]
    public async Task Check_RegistryNeverAnswers_UnreachableAtTheTimeout()
    {
        await using var slow = await HostileRegistry.StartAsync(registries.Pki, async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        var started = DateTime.UtcNow;

        var result = await CheckAsync(slow.Host, TimeSpan.FromSeconds(1));

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("CredentialChecks:Timeout", result.Reason, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Check_TokenServiceAnswersGarbage_UnreachableWithReason()
    {
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, (context, host) => context.Request.Path.Value switch
        {
            "/v2/" => Challenge(context, $"Bearer realm=\"https://{host}/token\",service=\"garbage\""),
            _ => context.Response.WriteAsync("<html>this is not a token</html>"),
        });

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("without a usable token", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AnswerLargerThanTheBound_UnreachableNotRead()
    {
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, async (context, _) =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"x\"";
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 32 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("larger than 64 KiB", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_RealmRedirectsToAnotherHost_UnreachableAndCredentialNotSentThere()
    {
        await using var elsewhere = await HostileRegistry.StartAsync(registries.Pki, (context, _) => context.Response.WriteAsync("""{"token":"stolen"}"""));
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, (context, host) => context.Request.Path.Value switch
        {
            "/v2/" => Challenge(context, $"Bearer realm=\"https://{host}/token\",service=\"s\""),
            _ => Redirect(context, $"https://localhost:{elsewhere.Port}/token"),
        });

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("another host; not followed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, elsewhere.AuthorizedRequests);
    }

    [Fact]
    public async Task Check_RealmRedirectsWithinItsHost_Followed()
    {
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, (context, host) => context.Request.Path.Value switch
        {
            "/v2/" when context.Request.Headers.Authorization.ToString() == "Bearer good-token" => Task.CompletedTask,
            "/v2/" => Challenge(context, $"Bearer realm=\"https://{host}/token\",service=\"s\""),
            "/token" => Redirect(context, "/token-moved"),
            _ => context.Response.WriteAsync("""{"token":"good-token"}"""),
        });

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Valid, result.Verdict);
        Assert.Equal(3, result.Requests);
    }

    [Fact]
    public async Task Check_RealmPlainHttpOffLoopback_CredentialNotSent()
    {
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, (context, _) => Challenge(context, "Bearer realm=\"http://auth.example.invalid/token\",service=\"s\""));

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("plain http; the credential is not sent there", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, result.Requests);
    }

    [Fact]
    public async Task Check_RealmPlainHttpOnLoopback_Followed()
    {
        // A port bound but not listening: reaching it (TCP refused) proves the request was made, and holding it bound
        // keeps a test running in parallel from starting a server on it.
        using var closed = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        closed.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)closed.LocalEndPoint!).Port;
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, (context, _) => Challenge(context, $"Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"s\""));

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains($"127.0.0.1:{port}: TCP", result.Reason, StringComparison.Ordinal);
        Assert.Equal(2, result.Requests);
    }

    [Fact]
    public async Task Check_LoopbackKeyWithoutSchemeOnPlainHttp_CheckedOverHttp()
    {
        await using var registry = await PlainBasicRegistryAsync();

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Valid, result.Verdict);
        Assert.Equal(3, result.Requests); // the failed TLS attempt, then /v2/ twice over HTTP
    }

    [Fact]
    public async Task Check_LoopbackKeyWrittenHttps_NoFallbackToHttp()
    {
        await using var registry = await PlainBasicRegistryAsync();

        var result = await CheckAsync($"https://{registry.Host}");

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("TLS", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, registry.AuthorizedRequests);
    }

    [Fact]
    public async Task Check_UnauthorizedWithoutChallenge_UncheckedWithReason()
    {
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, (context, _) =>
        {
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        });

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Unchecked, result.Verdict);
        Assert.Contains("without a Basic or Bearer challenge", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ServerError_UnreachableNamingTheStatus()
    {
        await using var registry = await HostileRegistry.StartAsync(registries.Pki, (context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });

        var result = await CheckAsync(registry.Host);

        Assert.Equal(CredentialVerdict.Unreachable, result.Verdict);
        Assert.Contains("503", result.Reason, StringComparison.Ordinal);
    }

    private Task<HostileRegistry> PlainBasicRegistryAsync() =>
        HostileRegistry.StartAsync(
            registries.Pki,
            (context, _) => context.Request.Headers.Authorization.ToString() == $"Basic {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"mallory:{Password}"))}"
                ? Task.CompletedTask
                : Challenge(context, "Basic realm=\"plain\""),
            plainHttp: true);

    private static Task Challenge(HttpContext context, string challenge)
    {
        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = challenge;
        return Task.CompletedTask;
    }

    private static Task Redirect(HttpContext context, string location)
    {
        context.Response.StatusCode = 307;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }

    private async Task<CheckResult> CheckAsync(string host, TimeSpan? timeout = null)
    {
        var entry = RegistryCheckTests.Entries(RegistryFixture.DockerConfig((host, "mallory", Password))).Single();
        Assert.True(CheckTarget.TryCreate(entry, null, out var target, out _));
        var result = await RegistryCheckTests.Checker(registries, timeout: timeout ?? TimeSpan.FromSeconds(10)).CheckAsync(target, CancellationToken.None);
        Assert.DoesNotContain(Password, result.Reason, StringComparison.Ordinal);
        return result;
    }
}
