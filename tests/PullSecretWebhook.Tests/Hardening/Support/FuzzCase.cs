namespace PullSecretWebhook.Tests.Hardening.Support;

/// <summary>One request of the fuzz run: what to send, and how it was made (for the failure report).</summary>
internal sealed record FuzzCase(int Index, string Kind, string Detail, HttpMethod Method, string Path, string? ContentType, byte[] Body)
{
    /// <summary>Sent in small pieces with pauses between them, well above Kestrel's minimum data rate.</summary>
    public bool Slow { get; init; }

    /// <summary>The body is a well-formed Pod CREATE review: the answer must be 200.</summary>
    public bool ExpectAnswer { get; init; }

    /// <summary>The body is larger than the server's limit: the server may close the connection while the client is
    /// still sending, which the client sees as a transport error rather than the 413.</summary>
    public bool Oversized { get; init; }

    /// <summary>Malformed at the HTTP level: Kestrel answers 400 itself, with no body, before the application runs.</summary>
    public bool ProtocolError { get; init; }

    public override string ToString() => $"case {Index} [{Kind}: {Detail}] {Method} {Path} ({ContentType ?? "no content type"}, {Body.Length} bytes)";
}
