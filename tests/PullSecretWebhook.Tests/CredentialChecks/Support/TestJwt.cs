using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>ES256 JWTs signed with System.Security.Cryptography: the registry's tokens (header <c>kid</c> is the
/// libtrust key ID Distribution 2.8 computes for the public key of a <c>rootcertbundle</c> certificate) and robot
/// credentials that carry an <c>exp</c>.</summary>
internal static class TestJwt
{
    public static string Sign(ECDsa key, JsonObject claims)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["kid"] = KeyId(key) };
        var signingInput = $"{Encode(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Encode(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";

        // JWS ES256 wants r||s (IEEE P1363), which is .NET's default signature format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Encode(signature)}";
    }

    /// <summary>libtrust's <c>keyIDFromCryptoKey</c>: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits,
    /// base32 without padding, in groups of four joined by ':'.</summary>
    public static string KeyId(ECDsa key)
    {
        var hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..30];
        var base32 = Base32(hash);
        return string.Join(':', Enumerable.Range(0, base32.Length / 4).Select(i => base32.Substring(i * 4, 4)));
    }

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base32(byte[] data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }
}
