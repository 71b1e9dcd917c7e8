using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hosting;

/// <summary>The real executable started from a folder that is not its own, as <c>dotnet /opt/psw/pullsecret-webhook.dll</c>
/// from wherever the operator stands: its appsettings.json still applies, and a content root set explicitly still
/// wins.</summary>
public sealed class ContentRootTests
{
    private const string Urls = "--urls=https://127.0.0.1:0";

    [Fact]
    public async Task Start_FromAnotherFolder_AppliesTheProgramsAppsettings()
    {
        using var elsewhere = new TempDirectory();
        using var process = ServerProcess.Start([Urls], workingDirectory: elsewhere.Path);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            var line = await ReadLineContainingAsync(process, "Now listening on", TimeSpan.FromSeconds(30));

            // appsettings.json sets the JSON console format; without it the line is the plain-text default.
            Assert.True(line.StartsWith('{'), $"not a JSON log line: {line}");
            Assert.Equal("Microsoft.Hosting.Lifetime", (string?)JsonNode.Parse(line)!["Category"]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--contentRoot")]
    [InlineData("ASPNETCORE_CONTENTROOT")]
    [InlineData("DOTNET_CONTENTROOT")]
    public async Task Start_WithExplicitContentRoot_ReadsAppsettingsFromIt(string setting)
    {
        using var contentRoot = new TempDirectory();
        // A bad value in that folder's appsettings.json stops start-up naming the setting: proof the file was read.
        contentRoot.Write("appsettings.json", """{"Target":{"SecretName":"Not_A_Name"}}""");
        using var elsewhere = new TempDirectory();
        var asArgument = setting.StartsWith("--", StringComparison.Ordinal);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(
            asArgument ? [$"{setting}={contentRoot.Path}", Urls] : [Urls],
            asArgument ? null : new Dictionary<string, string> { [setting] = contentRoot.Path },
            TimeSpan.FromSeconds(30),
            workingDirectory: elsewhere.Path);

        Assert.NotEqual(0, exitCode);
        Assert.True(output.Contains("Target:SecretName", StringComparison.Ordinal), output);
    }

    /// <summary>The first line of standard output containing <paramref name="text"/>; fails the test with everything
    /// read so far if the process ends or the deadline passes first.</summary>
    private static async Task<string> ReadLineContainingAsync(System.Diagnostics.Process process, string text, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var seen = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }

                seen.Add(line);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no line containing '{text}' within {deadline}; output so far:\n{string.Join('\n', seen)}");
        }

        Assert.Fail($"the server ended without writing '{text}'; output:\n{string.Join('\n', seen)}");
        return "";
    }
}
