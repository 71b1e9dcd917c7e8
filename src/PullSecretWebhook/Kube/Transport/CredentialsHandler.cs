using System.Net;
using System.Net.Http.Headers;
using PullSecretWebhook.Kube.Auth;

namespace PullSecretWebhook.Kube.Transport;

/// <summary>
/// Puts the current credentials on each request and, when the API server answers 401 to credentials the provider can
/// refresh (an exec plugin's, a rotated token file's), fetches them again and retries once, as client-go does.
/// KubernetesClient's own <c>ITokenProvider</c> is not used: it never learns of a 401, so an exec plugin's token
/// revoked before its expiry would fail every call until then.
/// </summary>
internal sealed class CredentialsHandler(KubeCredentialProvider provider, ClientCertificateSlot clientCertificate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var credentials = await ApplyAsync(request, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !provider.Invalidate(credentials))
        {
            return response;
        }

        response.Dispose();
        await ApplyAsync(request, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<KubeCredentials> ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var credentials = await provider.GetAsync(cancellationToken);
        request.Headers.Authorization = credentials.Token is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
        clientCertificate.Current = credentials.ClientCertificate;
        return credentials;
    }
}
