namespace PullSecretWebhook.Hosting;

/// <summary>A setting, or a combination of settings and environment, the server cannot start with. The message names
/// the setting and what would do instead; start-up stops with it alone (<see cref="StartupFailure"/>).</summary>
internal sealed class SettingsException : Exception
{
    public SettingsException()
    {
    }

    public SettingsException(string message)
        : base(message)
    {
    }

    public SettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
