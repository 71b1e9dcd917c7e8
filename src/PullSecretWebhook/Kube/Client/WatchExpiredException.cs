using System.Net;
using PullSecretWebhook.Kube.Models;

namespace PullSecretWebhook.Kube.Client;

/// <summary>
/// A watch's resourceVersion is older than the server's history (410 Gone, as an HTTP answer or as
/// an ERROR event): the only way on is a fresh list.
/// </summary>
internal sealed class WatchExpiredException : KubeApiException
{
    public WatchExpiredException()
    {
    }

    public WatchExpiredException(string message)
        : base(message)
    {
    }

    public WatchExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WatchExpiredException(Status? status, string request)
        : base(HttpStatusCode.Gone, status, request)
    {
    }
}
