using System.Diagnostics;

namespace PullSecretWebhook.Tests.Support;

/// <summary>The repository's own files (deploy/, certs/, Dockerfile) and the tools that read them.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the nearest directory above the test binaries holding PullSecretWebhook.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Runs a program and returns its exit code and output; fails the test clearly when it is not installed.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? deadline = null, string? installHint = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"'{program}' could not be started ({e.Message}); {installHint ?? "install it"}");
            throw;
        }

        using (process)
        {
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
                Assert.Fail($"'{program} {string.Join(' ', start.ArgumentList)}' did not finish in time");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary><c>kubectl kustomize</c> of a directory under deploy/, as parsed objects.</summary>
    public static async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> KustomizeAsync(string overlay) =>
        YamlDocuments.Parse(await KustomizeTextAsync(overlay));

    public static async Task<string> KustomizeTextAsync(string overlay)
    {
        var (exitCode, stdout, stderr) = await RunAsync("kubectl", ["kustomize", PathOf(overlay)],
            installHint: "the deploy/ tests need kubectl with kustomize (Debian: apt-get install kubernetes-client; CI installs it)");
        Assert.True(exitCode == 0, $"kubectl kustomize {overlay} failed: {stderr}");
        return stdout;
    }

    /// <summary><c>kubectl kustomize</c> of an overlay with extra components from deploy/components, through a scratch
    /// kustomization (kustomize wants relative paths between kustomizations).</summary>
    public static async Task<string> KustomizeWithComponentsAsync(string overlay, params string[] components)
    {
        var scratch = Directory.CreateTempSubdirectory("psw-kustomize-").FullName;
        try
        {
            string Relative(string path) => Path.GetRelativePath(scratch, PathOf(path)).Replace('\\', '/');
            await File.WriteAllTextAsync(Path.Combine(scratch, "kustomization.yaml"),
                $"resources: [{Relative(overlay)}]\ncomponents: [{string.Join(", ", components.Select(Relative))}]\n");
            var (exitCode, stdout, stderr) = await RunAsync("kubectl", ["kustomize", scratch],
                installHint: "the deploy/ tests need kubectl with kustomize (Debian: apt-get install kubernetes-client; CI installs it)");
            Assert.True(exitCode == 0, $"kubectl kustomize {overlay} with {string.Join(", ", components)} failed: {stderr}");
            return stdout;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PullSecretWebhook.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no PullSecretWebhook.sln above {AppContext.BaseDirectory}");
    }
}
