using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Locates <c>../shared/fixtures</c> (beside the repository) from the test's working directory.</summary>
internal static class Fixtures
{
    public static string Directory { get; } = Find();

    public static string AdmissionReviewDirectory => Path.Combine(Directory, "admissionreview");

    public static IEnumerable<string> AdmissionReviews() =>
        System.IO.Directory.GetFiles(AdmissionReviewDirectory, "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith("response-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (System.IO.Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "shared", "CONTRACT.md")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("../shared/fixtures not found above " + AppContext.BaseDirectory);
    }
}
