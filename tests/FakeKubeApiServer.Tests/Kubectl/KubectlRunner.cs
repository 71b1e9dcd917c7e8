using System.Diagnostics;

namespace FakeKubeApiServer.Tests.Kubectl;

/// <summary>
/// Runs the real kubectl against a kubeconfig, with its own discovery cache directory. A missing
/// kubectl fails the test (CI installs Debian's kubernetes-client): the fidelity suite never
/// passes by not running.
/// </summary>
internal sealed class KubectlRunner(string kubeconfig, string cacheDirectory)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static string Executable
    {
        get
        {
            var candidates = Enumerable.Repeat("/usr/bin/kubectl", 1)
                .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "kubectl")));
            return candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("kubectl was not found in /usr/bin or on PATH: install it (Debian: apt-get install kubernetes-client) to run the kubectl fidelity suite");
        }
    }

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        using var deadline = new CancellationTokenSource(Deadline);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {Deadline}");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running kubectl (e.g. --watch); the caller reads and kills it.</summary>
    public Process Start(params string[] args) => Process.Start(StartInfo(args))!;

    private ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(cacheDirectory);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("KUBECONFIG");
        return start;
    }
}
