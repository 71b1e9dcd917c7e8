namespace PullSecretWebhook.Kube.Transport;

/// <summary>
/// Turns an error answer into <see cref="KubeApiException"/> before KubernetesClient sees it. The package's own
/// <c>HttpOperationException</c> keeps the request (for a Secret's write: its data) in <c>Request.Content</c> and leaves
/// the Status unparsed (tests/PullSecretWebhook.Tests/Kube/KubernetesClientEvidenceTests.cs shows both); ours carries
/// the method, path and the server's Status, nothing of the body, so it can be logged as it is.
/// </summary>
internal sealed class ApiErrorHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await KubeApiException.FromResponseAsync(KubeRequests.Describe(request), response, cancellationToken);
        }
    }
}
