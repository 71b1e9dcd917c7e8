using System.Diagnostics;

namespace PullSecretWebhook.Tests.Kube.Support;

/// <summary>Waits on a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>The same for a condition that has to ask over the network (a server's <c>/status</c>).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > (timeout ?? DefaultTimeout))
            {
                Assert.Fail($"timed out after {stopwatch.Elapsed} waiting until {what}");
            }

            await Task.Delay(10);
        }
    }
}
