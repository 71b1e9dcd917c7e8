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
}
