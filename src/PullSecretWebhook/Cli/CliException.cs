namespace PullSecretWebhook.Cli;

/// <summary>A failure a command reports in one line on standard error, exiting 1.</summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
