namespace PullSecretWebhook.Kube.Watching;

internal enum InformerEventType
{
    Added,
    Updated,
    Deleted,
}
