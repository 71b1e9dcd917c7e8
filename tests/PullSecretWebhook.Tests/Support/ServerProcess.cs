using System.Diagnostics;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Runs the real executable, as an operator would, isolated from this machine's kubeconfig.</summary>
internal static class ServerProcess
{
    /// <summary>Starts the server with <paramref name="arguments"/> and waits for it to exit by itself; returns the
    /// exit code and everything it wrote. Fails the test if it is still running at the deadline.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? deadline = null, string? workingDirectory = null)
    {
        using var process = Start(arguments, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the server did not exit by itself");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts the server and returns the running process (output redirected; the caller reads or drains it
    /// and kills the process). It runs in the program's folder unless <paramref name="workingDirectory"/> says
    /// otherwise.</summary>
    public static Process Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pullsecret-webhook.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var home = Directory.CreateTempSubdirectory("psw-home-").FullName;
        start.Environment["HOME"] = home;
        start.Environment["KUBECONFIG"] = "";
        start.Environment["KUBERNETES_SERVICE_HOST"] = "";
        start.Environment["POD_NAMESPACE"] = "pullsecret-webhook";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        // The empty home goes with the process, however it ends.
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover empty folder in /tmp is no failure of the test (this runs on a pool thread).
            }
        };
        return process;
    }
}
