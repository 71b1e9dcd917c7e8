using System.Text;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Http;
using FakeKubeApiServer.Store;

namespace FakeKubeApiServer.Protobuf;

/// <summary>
/// Decodes <c>application/vnd.kubernetes.protobuf</c> request bodies, which kubectl's typed
/// commands (create namespace, create secret ...) send and no content negotiation avoids.
/// The envelope is the magic "k8s\0" then a runtime.Unknown {typeMeta, raw}
/// (https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding); raw is the
/// object in the field numbering of k8s.io/api's generated.proto. Only the kinds in
/// <see cref="ProtoMessage.Kinds"/> are understood; default values are dropped as JSON's omitempty would.
/// </summary>
internal static class KubeProtobuf
{
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw Status.BadRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        var unknown = new ProtoReader(body[Magic.Length..].ToArray());
        string apiVersion = "", kind = "";
        byte[] raw = [];
        while (unknown.Next(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    var typeMeta = new ProtoReader(unknown.ReadBytes());
                    while (typeMeta.Next(out var f, out var w))
                    {
                        if (f == 1) { apiVersion = typeMeta.ReadString(); }
                        else if (f == 2) { kind = typeMeta.ReadString(); }
                        else { typeMeta.Skip(w); }
                    }

                    break;
                case 2:
                    raw = unknown.ReadBytes();
                    break;
                default:
                    unknown.Skip(wireType);
                    break;
            }
        }

        if (!ProtoMessage.Kinds.TryGetValue($"{apiVersion}/{kind}", out var message))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the fake API server cannot decode protobuf for {apiVersion}, Kind={kind}; send application/json");
        }

        var obj = DecodeMessage(raw, message);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return ObjectShape.Canonical(ResourceCatalog.FindByKind(apiVersion, kind)!, obj);
    }

    private static JsonObject DecodeMessage(byte[] bytes, ProtoMessage message)
    {
        var reader = new ProtoReader(bytes);
        var result = new JsonObject();
        while (reader.Next(out var number, out var wireType))
        {
            if (!message.TryGetValue(number, out var field))
            {
                reader.Skip(wireType);
                continue;
            }

            JsonNode? value = field.Kind switch
            {
                ProtoKind.String => Omit(reader.ReadString()),
                ProtoKind.Bytes => JsonValue.Create(Convert.ToBase64String(reader.ReadBytes())),
                ProtoKind.Int => reader.ReadVarint() is var n and not 0 ? JsonValue.Create(n) : null,
                ProtoKind.Bool => reader.ReadVarint() != 0 ? JsonValue.Create(true) : null,
                ProtoKind.Time => Time(reader.ReadBytes()),
                ProtoKind.Message => DecodeMessage(reader.ReadBytes(), field.Message!),
                _ => (JsonNode?)null,
            };
            if (field.Kind is ProtoKind.MapStringString or ProtoKind.MapStringBytes)
            {
                var (key, entry) = MapEntry(reader.ReadBytes(), field.Kind == ProtoKind.MapStringBytes);
                var map = result[field.Name] as JsonObject ?? [];
                map[key] = entry;
                result[field.Name] = map;
            }
            else if (field.Repeated)
            {
                var list = result[field.Name] as JsonArray ?? [];
                list.Add(value ?? (field.Kind == ProtoKind.String ? "" : null));
                result[field.Name] = list;
            }
            else if (value is not null && !(value is JsonObject { Count: 0 } && field.Name != "spec"))
            {
                result[field.Name] = value;
            }
        }

        return result;
    }

    private static (string Key, JsonNode Value) MapEntry(byte[] bytes, bool binary)
    {
        var reader = new ProtoReader(bytes);
        string key = "";
        JsonNode value = "";
        while (reader.Next(out var number, out var wireType))
        {
            if (number == 1) { key = reader.ReadString(); }
            else if (number == 2) { value = binary ? Convert.ToBase64String(reader.ReadBytes()) : reader.ReadString(); }
            else { reader.Skip(wireType); }
        }

        return (key, value);
    }

    private static JsonValue? Time(byte[] bytes)
    {
        var reader = new ProtoReader(bytes);
        long seconds = 0;
        while (reader.Next(out var number, out var wireType))
        {
            if (number == 1) { seconds = reader.ReadVarint(); }
            else { reader.Skip(wireType); }
        }

        // metav1.Time's zero value is "no time": seconds since 0001-01-01 are negative in Unix time.
        return seconds <= 0 ? null : JsonValue.Create(ObjectShape.FormatTime(DateTimeOffset.FromUnixTimeSeconds(seconds)));
    }

    private static JsonValue? Omit(string value) => value.Length == 0 ? null : JsonValue.Create(value);

    /// <summary>Protobuf wire format reader (https://protobuf.dev/programming-guides/encoding/).</summary>
    private sealed class ProtoReader(byte[] data)
    {
        private int _pos;

        public bool Next(out int field, out int wireType)
        {
            if (_pos >= data.Length)
            {
                (field, wireType) = (0, 0);
                return false;
            }

            var tag = ReadVarint();
            (field, wireType) = ((int)(tag >> 3), (int)(tag & 7));
            return true;
        }

        public long ReadVarint()
        {
            long result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = data[_pos++];
                result |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw Status.BadRequest("malformed protobuf varint");
        }

        public byte[] ReadBytes()
        {
            var length = (int)ReadVarint();
            var bytes = data.AsSpan(_pos, length).ToArray();
            _pos += length;
            return bytes;
        }

        public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

        public void Skip(int wireType)
        {
            // Computed first: reading a length advances _pos, which "+=" would read too early.
            var skip = wireType switch
            {
                0 => SkipVarint(),
                1 => 8,
                2 => (int)ReadVarint(),
                5 => 4,
                _ => throw Status.BadRequest($"unsupported protobuf wire type {wireType}"),
            };
            _pos += skip;
        }

        private int SkipVarint()
        {
            ReadVarint();
            return 0;
        }
    }
}
