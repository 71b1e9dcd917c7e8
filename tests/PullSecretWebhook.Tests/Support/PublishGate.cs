namespace PullSecretWebhook.Tests.Support;

/// <summary>One <c>dotnet publish</c> of the product at a time, across test processes: the unit tier
/// (<c>DockerfileTests</c>) and the end-to-end tier (<c>ShippedBuild</c>) both publish the image's build through the
/// same <c>obj/</c> folder, and <c>dotnet test</c> runs the tiers in parallel. The gate is an exclusive lock on a file
/// in that folder (an advisory <c>flock</c> on Linux), released when the returned handle is disposed or the process
/// ends.</summary>
internal static class PublishGate
{
    public static async Task<IDisposable> EnterAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var path = Path.Combine(repositoryRoot, "src", "PullSecretWebhook", "obj", "publish.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var retry = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Held by the other tier's publish (minutes at most): ask again until the caller's deadline.
                await Task.Delay(retry, cancellationToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }
}
