namespace PullSecretWebhook.Credentials;

/// <summary>Decodes the <c>auth</c> field exactly as the kubelet does (pkg/credentialprovider/config.go
/// <c>decodeDockerConfigFieldAuth</c>): padded standard base64 when the trimmed field ends with '=', otherwise
/// unpadded (raw) standard base64. Go's decoder skips '\r' and '\n' anywhere but rejects every other character
/// outside the alphabet, spaces included — unlike .NET's, which skips all whitespace — hence this wrapper.</summary>
internal static class GoBase64
{
    public static bool TryDecode(string field, out byte[] decoded)
    {
        decoded = [];
        var padded = field.Trim().EndsWith('=');
        var clean = new System.Text.StringBuilder(field.Length + 2);
        foreach (var c in field)
        {
            if (c is '\r' or '\n')
            {
                continue;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return false;
            }

            clean.Append(c);
        }

        var text = clean.ToString();
        var firstPad = text.IndexOf('=', StringComparison.Ordinal);
        if (padded)
        {
            // StdEncoding: length a multiple of 4, '=' only as the last one or two characters.
            if (text.Length % 4 != 0 || firstPad < text.Length - 2 || text.AsSpan(firstPad).ContainsAnyExcept('='))
            {
                return false;
            }
        }
        else
        {
            // RawStdEncoding: no padding at all; a final group of one character cannot encode a byte.
            if (firstPad >= 0 || text.Length % 4 == 1)
            {
                return false;
            }

            text += new string('=', (4 - (text.Length % 4)) % 4);
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        decoded = buffer[..written];
        return true;
    }
}
