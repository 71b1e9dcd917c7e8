namespace PullSecretWebhook.CredentialChecks;

/// <summary>A <c>WWW-Authenticate</c> challenge as registries send it (RFC 7235 auth-param syntax; the Bearer form of
/// the distribution token spec: <c>Bearer realm="https://auth.example.com/token",service="registry.example.com"</c>).
/// https://distribution.github.io/distribution/spec/auth/token/</summary>
internal sealed record RegistryChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first Basic or Bearer challenge among the header values (Bearer preferred, as Docker does).</summary>
    public static RegistryChallenge? Pick(IEnumerable<string> headerValues)
    {
        var challenges = headerValues.Select(Parse).OfType<RegistryChallenge>().ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Parses one challenge; null for an empty or malformed value. Quoted strings may hold commas and
    /// backslash escapes.</summary>
    public static RegistryChallenge? Parse(string value)
    {
        var text = value.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? text : text[..space];
        if (scheme.Length == 0 || scheme.Length > 32)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = space < 0 ? text.Length : space + 1;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == ','))
            {
                i++;
            }

            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = text[i..eq].Trim();
            i = eq + 1;
            string parameter;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i]);
                    i++;
                }

                i++; // closing quote
                parameter = builder.ToString();
            }
            else
            {
                var comma = text.IndexOf(',', i);
                var end = comma < 0 ? text.Length : comma;
                parameter = text[i..end].Trim();
                i = end;
            }

            if (name.Length > 0)
            {
                parameters[name] = parameter;
            }
        }

        return new RegistryChallenge(scheme, parameters);
    }
}
