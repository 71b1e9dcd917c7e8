using PullSecretWebhook.EndToEnd.Support;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.EndToEnd.Product;

/// <summary>The build of the product this tier runs: what the image ships, the Native AOT executable of
/// <c>dotnet publish src/PullSecretWebhook -c Release -r linux-x64</c> (the Dockerfile's command), published once per
/// test run into the test binaries' folder. <c>PSW_PRODUCT</c> runs another build instead: a
/// <c>pullsecret-webhook.dll</c> (started with <c>dotnet</c>) or another native executable.</summary>
internal static class ShippedBuild
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The executable (or dll) to start; <see cref="EnsureAsync"/> must have completed.</summary>
    public static string Path => Published.Value.IsCompletedSuccessfully
        ? Published.Value.Result
        : throw new InvalidOperationException("the product has not been published: await ShippedBuild.EnsureAsync() first");

    /// <summary>The program and first arguments that start the product, then <paramref name="arguments"/>.</summary>
    public static (string Program, List<string> Arguments) Command(IEnumerable<string> arguments) =>
        Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [Path, .. arguments]) : (Path, [.. arguments]);

    public static Task EnsureAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable("PSW_PRODUCT") is { Length: > 0 } other)
        {
            return other;
        }

        var output = System.IO.Path.Combine(AppContext.BaseDirectory, "shipped");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        using (await PublishGate.EnterAsync(Tools.RepositoryRoot, deadline.Token))
        {
            var (exitCode, stdout, stderr) = await Tools.RunAsync("dotnet",
                ["publish", "src/PullSecretWebhook", "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo"],
                deadline: TimeSpan.FromMinutes(15));
            if (exitCode != 0)
            {
                throw new InvalidOperationException(
                    $"publishing the image's build failed (Native AOT needs clang and zlib1g-dev; `bash .ci/run` installs them):\n{stdout}\n{stderr}");
            }
        }

        return System.IO.Path.Combine(output, "pullsecret-webhook");
    }
}
