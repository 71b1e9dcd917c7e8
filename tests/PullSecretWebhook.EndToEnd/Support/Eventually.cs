using System.Diagnostics;

namespace PullSecretWebhook.EndToEnd.Support;

/// <summary>Waits on a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > (timeout ?? DefaultTimeout))
            {
                Assert.Fail($"timed out after {stopwatch.Elapsed} waiting until {what}{(diagnostics is null ? "" : "\n" + diagnostics())}");
            }

            await Task.Delay(50);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout, diagnostics);

    /// <summary>Waits until <paramref name="read"/> returns a value, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null) where T : class
    {
        T? value = null;
        await WaitUntilAsync(async () => (value = await read()) is not null, what, timeout, diagnostics);
        return value!;
    }
}
