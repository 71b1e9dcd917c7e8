namespace PullSecretWebhook.Kube.Leader;

internal static partial class LeaderElectionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Became leader (Lease {Namespace}/{Name}, identity {Identity})")]
    public static partial void Acquired(ILogger logger, string @namespace, string name, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost leadership of Lease {Namespace}/{Name}: not renewed within {RenewDeadline}")]
    public static partial void Lost(ILogger logger, string @namespace, string name, TimeSpan renewDeadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released Lease {Namespace}/{Name}")]
    public static partial void Released(ILogger logger, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Namespace}/{Name} is held by {Holder}")]
    public static partial void NewLeader(ILogger logger, string @namespace, string name, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not acquire or renew Lease {Namespace}/{Name}")]
    public static partial void AttemptFailed(ILogger logger, Exception exception, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Optimistic renewal of Lease {Namespace}/{Name} failed; reading it again")]
    public static partial void OptimisticRenewFailed(ILogger logger, Exception exception, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader work failed; giving leadership up")]
    public static partial void WorkFailed(ILogger logger, Exception exception);
}
