using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.Support;

/// <summary>The test data in <c>tests/Fixtures</c> (real AdmissionReviews, the kubelet's keyring cases, dockerconfig
/// cases, the 4 KiB bench review), read in place from the repository like deploy/ and the Dockerfile; its README names
/// where each file comes from.</summary>
internal static class Fixtures
{
    public static string Directory { get; } = RepositoryFiles.PathOf(Path.Combine("tests", "Fixtures"));

    public static string AdmissionReviewDirectory => Path.Combine(Directory, "admissionreview");

    public static IEnumerable<string> AdmissionReviews() =>
        System.IO.Directory.GetFiles(AdmissionReviewDirectory, "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith("response-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
