using PullSecretWebhook.EndToEnd.Support;

namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary>Where <c>bash .ci/control-plane</c> installed etcd, kube-apiserver and kube-controller-manager.</summary>
internal static class ControlPlaneBinaries
{
    public const string Version = "1.20.2";

    /// <summary><c>PSW_CONTROL_PLANE_BIN</c>, else the installer's default cache folder. A missing binary fails the
    /// test run with the command that installs it: the tier is never skipped.</summary>
    public static string Folder { get; } = Environment.GetEnvironmentVariable("PSW_CONTROL_PLANE_BIN") is { Length: > 0 } explicitFolder
        ? explicitFolder
        : Path.Combine(CacheRoot(), "control-plane", Version, "bin");

    public static string Etcd => Require("etcd");

    public static string KubeApiServer => Require("kube-apiserver");

    public static string KubeControllerManager => Require("kube-controller-manager");

    /// <summary>Runs the installer when the binaries are not in the cache yet, so that <c>dotnet test</c> on a fresh
    /// clone builds the control plane by itself (about 5 minutes, once); a failure names the step that failed.</summary>
    public static async Task EnsureInstalledAsync()
    {
        if (Environment.GetEnvironmentVariable("PSW_CONTROL_PLANE_BIN") is { Length: > 0 }
            || (File.Exists(Path.Combine(Folder, "kube-apiserver")) && File.Exists(Path.Combine(Folder, "etcd"))))
        {
            return;
        }

        var (exitCode, stdout, stderr) = await Tools.RunAsync("bash", [Path.Combine(Tools.RepositoryRoot, ".ci", "control-plane")], deadline: TimeSpan.FromMinutes(30));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`bash .ci/control-plane` failed (exit {exitCode}):\n{string.Join('\n', stderr.Split('\n').TakeLast(40))}");
        }

        if (stdout.Trim() != Folder)
        {
            throw new InvalidOperationException($"`bash .ci/control-plane` installed into {stdout.Trim()}, but the tests look in {Folder}");
        }
    }

    private static string CacheRoot() =>
        Environment.GetEnvironmentVariable("PSW_CACHE_DIR") is { Length: > 0 } cache ? cache
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "pullsecret-webhook");

    private static string Require(string name)
    {
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{name} is not installed in {Folder}: run `bash .ci/control-plane` from the repository root (or set PSW_CONTROL_PLANE_BIN)");
        }

        return path;
    }
}
