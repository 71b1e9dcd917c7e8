using System.Diagnostics;

namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>The Debian tools the registry tests run: <c>docker-registry</c> (Distribution 2.8), <c>skopeo</c> and
/// <c>htpasswd</c> (apache2-utils), installed by <c>.ci/run</c>. A missing tool fails the test with what to install,
/// never skips it.</summary>
internal static class RegistryTools
{
    public const string Registry = "docker-registry";
    public const string Skopeo = "skopeo";
    public const string Htpasswd = "htpasswd";

    public static string Require(string tool)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{tool}' is not installed; the registry tests need Debian's docker-registry, skopeo and apache2-utils "
            + "(`bash .ci/run` installs them, or: apt-get install -y docker-registry skopeo apache2-utils)");
    }

    /// <summary>Runs a tool to completion within <paramref name="deadline"/>; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? deadline = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Require(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
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
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish within {deadline ?? TimeSpan.FromSeconds(60)}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
