using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace PullSecretWebhook.Admission.Wire;

/// <summary>Checks that every string and property name of a JSON body is Unicode text. RFC 8259 §8.1 requires
/// UTF-8, but System.Text.Json checks string contents only when a string is decoded: a stray byte or an escaped
/// unpaired surrogate (<c>"\ud800"</c>) would otherwise pass <see cref="JsonDocument.Parse(ReadOnlySequence{byte}, JsonDocumentOptions)"/>
/// and throw later, deep in the logic, as a 500. The API server (Go's encoder) never sends either, so such a body is
/// answered 400 like any other malformed JSON. Decodes nothing into strings: one pass, no allocation.</summary>
internal static class JsonStrings
{
    public static bool AreWellFormed(ReadOnlySequence<byte> json, int maxDepth)
    {
        // The common case, and the API server's: an ASCII body with no \u escape cannot hold a string that is not
        // text, and a vectorised scan says so without tokenising the body a second time.
        if (json.IsSingleSegment && Ascii.IsValid(json.FirstSpan) && json.FirstSpan.IndexOf("\\u"u8) < 0)
        {
            return true;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                {
                    if (!Utf8.IsValid(reader.ValueSpan))
                    {
                        return false;
                    }

                    continue;
                }

                // Escaped (or split across buffer segments): let the reader unescape and transcode, which is where
                // it finds unpaired surrogates and invalid bytes. The decoded text is never longer than the raw value.
                var length = checked((int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length));
                if (buffer is null || buffer.Length < length)
                {
                    if (buffer is not null)
                    {
                        ArrayPool<char>.Shared.Return(buffer);
                    }

                    buffer = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
                }

                reader.CopyString(buffer);
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }
}
