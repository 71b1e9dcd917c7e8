using System.Text.Json.Nodes;
using PullSecretWebhook.Tests.Kube.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Cli;

/// <summary>The commands through the real executable, as an operator types them.</summary>
public sealed class ExecutableTests
{
    [Fact]
    public async Task Executable_Mutate_PrintsTheMutatedManifestAndExitsZero()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("pod.json", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[]}}""");

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(["mutate", "-f", path, "--secret-name", "regcred"]);

        Assert.Equal(0, exitCode);
        Assert.Equal("""[{"name":"regcred"}]""", JsonNode.Parse(output)!["spec"]!["imagePullSecrets"]!.ToJsonString());
    }

    [Fact]
    public async Task Executable_UsageError_ExitsTwo()
    {
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(["render"]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_ServeWithSettings_PassesThemToTheServer()
    {
        // The server validates its settings and stops at once on a bad one: proof that "serve" handed them over.
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(["serve", "--Target:SecretName=Not_A_Name", "--urls=https://127.0.0.1:0"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Target:SecretName", output, StringComparison.Ordinal);
    }
}
