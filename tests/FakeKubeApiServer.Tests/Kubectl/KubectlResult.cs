namespace FakeKubeApiServer.Tests.Kubectl;

/// <summary>What one kubectl run printed and returned.</summary>
internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public KubectlResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"kubectl exited {ExitCode}: {Stderr}{Stdout}");
        return this;
    }
}
