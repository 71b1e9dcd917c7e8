namespace FakeKubeApiServer.Protobuf;

/// <summary>How a protobuf field maps to JSON.</summary>
internal enum ProtoKind
{
    String,
    Bytes,
    Int,
    Bool,
    Message,
    Time,
    MapStringString,
    MapStringBytes,
}
