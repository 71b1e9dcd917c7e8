namespace PullSecretWebhook.Registration;

internal static partial class RegistrationLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Created MutatingWebhookConfiguration {Name}")]
    public static partial void Created(ILogger logger, string name);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Updated webhook {Webhook} in MutatingWebhookConfiguration {Name}")]
    public static partial void Updated(ILogger logger, string name, string webhook);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "MutatingWebhookConfiguration {Name} is up to date")]
    public static partial void UpToDate(ILogger logger, string name);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "MutatingWebhookConfiguration {Name} was deleted while the server runs; that is the emergency stop, so it is not re-created (a restarted server creates it again unless Registration:Enabled is false)")]
    public static partial void DeletedNotRecreated(ILogger logger, string name);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Could not register MutatingWebhookConfiguration {Name}; retrying with backoff: {Problem}")]
    public static partial void Failed(ILogger logger, string name, string problem);

    [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "Webhook self-registration is off ({Reason})")]
    public static partial void Disabled(ILogger logger, string reason);

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Kubernetes {ServerVersion}: registering with matchConditions ({Reason})")]
    public static partial void WithMatchConditions(ILogger logger, string serverVersion, string reason);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Kubernetes {ServerVersion}: registering without matchConditions ({Reason}); the webhook itself skips mirror Pods and Pods already referencing the target")]
    public static partial void WithoutMatchConditions(ILogger logger, string serverVersion, string reason);

    [LoggerMessage(EventId = 422, Level = LogLevel.Information, Message = "Kubernetes {ServerVersion}: registering with matchConditions ({Reason}); namespaces carry no kubernetes.io/metadata.name label before 1.21, so the namespaceSelector excludes no namespace by name and the webhook itself skips the excluded namespaces")]
    public static partial void WithMatchConditionsBefore121(ILogger logger, string serverVersion, string reason);

    [LoggerMessage(EventId = 423, Level = LogLevel.Information, Message = "Kubernetes {ServerVersion}: registering without matchConditions ({Reason}); namespaces carry no kubernetes.io/metadata.name label before 1.21, so the namespaceSelector excludes no namespace by name; the webhook itself skips mirror Pods, Pods already referencing the target and the excluded namespaces")]
    public static partial void WithoutMatchConditionsBefore121(ILogger logger, string serverVersion, string reason);

    [LoggerMessage(EventId = 424, Level = LogLevel.Warning, Message = "Could not read the Kubernetes version ({Problem}): registering without matchConditions, as for a server before 1.28 where they are off by default; the webhook itself skips mirror Pods and Pods already referencing the target")]
    public static partial void VersionUnknown(ILogger logger, string problem);

    [LoggerMessage(EventId = 425, Level = LogLevel.Warning, Message = "Kubernetes {ServerVersion} dropped the matchConditions written to MutatingWebhookConfiguration {Name}, as a server with them off does: registering without them from now on; the webhook itself skips mirror Pods and Pods already referencing the target")]
    public static partial void MatchConditionsDropped(ILogger logger, string serverVersion, string name);
}
