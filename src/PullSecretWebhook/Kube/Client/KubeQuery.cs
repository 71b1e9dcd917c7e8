using System.Text;

namespace PullSecretWebhook.Kube.Client;

/// <summary>Builds a URL query string, leaving out parameters that are not set.</summary>
internal sealed class KubeQuery
{
    private readonly StringBuilder _builder = new();

    public KubeQuery Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _builder.Append(_builder.Length == 0 ? '?' : '&')
                .Append(name)
                .Append('=')
                .Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public KubeQuery Add(string name, int? value) =>
        Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => _builder.ToString();
}
