namespace FakeKubeApiServer.Protobuf;

/// <summary>One field of a message: JSON name, kind, nested message and repetition.</summary>
internal sealed record ProtoField(string Name, ProtoKind Kind, ProtoMessage? Message = null, bool Repeated = false);
