namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>The seed of a randomized test: from an environment variable when set (to reproduce a failure), else new
/// per run so that every CI run explores different cases. Every failure message carries it.</summary>
internal static class FuzzRandom
{
    public static int Seed(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured
            ? int.Parse(configured, System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next();

    public static int Count(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured
            ? int.Parse(configured, System.Globalization.CultureInfo.InvariantCulture)
            : fallback;

    /// <summary>The generator of one case: depends only on the seed and the case's index, so a case is reproduced
    /// alone, whatever order the concurrent workers ran the others in.</summary>
    public static Random ForCase(int seed, int index) => new(unchecked((seed * 1_000_003) + index));
}
