namespace PullSecretWebhook.Hosting;

/// <summary>The server's content root, the folder <c>appsettings.json</c> is read from. ASP.NET Core's default is the
/// working directory, so <c>dotnet /opt/psw/pullsecret-webhook.dll</c> started anywhere else would run without it: every
/// request logged at Information, in plain text instead of JSON. The program's own folder is the default instead,
/// wherever it is started from. A content root set explicitly still wins: <c>--contentRoot</c>,
/// <c>ASPNETCORE_CONTENTROOT</c> or <c>DOTNET_CONTENTROOT</c>, which is also how WebApplicationFactory points tests at
/// the project folder.</summary>
internal static class ContentRoot
{
    public static WebApplicationOptions ServerOptions(string[] args) => new()
    {
        Args = args,
        // Options override every other source of the host's settings, so the default is set only when none of them
        // names a content root; the host then resolves an explicit one with its own precedence.
        ContentRootPath = IsSetExplicitly(args) ? null : AppContext.BaseDirectory,
    };

    /// <summary>True when the sources the host reads its own settings from (the environment with either prefix, the
    /// command line) name a content root.</summary>
    private static bool IsSetExplicitly(string[] args) =>
        !string.IsNullOrEmpty(new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables("DOTNET_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey]);
}
