using System.Text.RegularExpressions;

namespace FakeKubeApiServer.Admission;

/// <summary>
/// Object name and label syntax, with the messages of k8s.io/apimachinery/pkg/util/validation
/// (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/).
/// </summary>
internal static partial class NameRules
{
    public const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    public const string QualifiedNameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    public const string ConfigKeyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    /// <summary>Null when valid, else the detail message (IsDNS1123Subdomain).</summary>
    public static string? CheckSubdomain(string name) =>
        name.Length > 253 ? "must be no more than 253 characters"
        : SubdomainRegex().IsMatch(name) ? null : SubdomainMessage;

    /// <summary>Null when valid, else the detail message (IsDNS1123Label; namespaces, container names).</summary>
    public static string? CheckLabel(string name) =>
        name.Length > 63 ? "must be no more than 63 characters"
        : LabelRegex().IsMatch(name) ? null : LabelMessage;

    /// <summary>RBAC names are path segments (ValidateRBACName), so "system:controller:x" is fine.</summary>
    public static string? CheckPathSegment(string name) =>
        name is "." or ".." ? $"may not be '{name}'"
        : name.Contains('/', StringComparison.Ordinal) ? "may not contain '/'"
        : name.Contains('%', StringComparison.Ordinal) ? "may not contain '%'"
        : null;

    public static bool IsLabelValue(string value) => value.Length <= 63 && LabelValueRegex().IsMatch(value);

    public static bool IsConfigKey(string key) => key.Length <= 253 && ConfigKeyRegex().IsMatch(key);

    /// <summary>Null when <paramref name="key"/> is a qualified name (optional DNS prefix + '/' + name).</summary>
    public static string? CheckQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && CheckSubdomain(key[..slash]) is { } prefixError)
        {
            return "prefix part " + prefixError;
        }

        return name.Length is 0 or > 63 || !QualifiedNameRegex().IsMatch(name) ? QualifiedNameMessage : null;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainRegex();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelRegex();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKeyRegex();
}
