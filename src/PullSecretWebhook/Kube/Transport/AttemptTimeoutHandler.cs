namespace PullSecretWebhook.Kube.Transport;

/// <summary>
/// <c>Kube:Timeout</c> for one attempt of one call, response body included (it is buffered here), so a retry gets a
/// fresh timeout. Watches are exempt: they stay open by design and have their own watchdog in the informer.
/// KubernetesClient's <c>HttpClientTimeout</c> is not used: it spans all retries and reads the wall clock.
/// </summary>
internal sealed class AttemptTimeoutHandler(TimeSpan timeout, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (KubeRequests.IsWatch(request))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, linked.Token);
            await response.Content.LoadIntoBufferAsync(linked.Token);
            return response;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            throw new TimeoutException($"{KubeRequests.Describe(request)} did not complete within {timeout} (Kube:Timeout)", ex);
        }
    }
}
