namespace FakeKubeApiServer.Selectors;

/// <summary>One term of a field selector: <c>field=value</c> or <c>field!=value</c>.</summary>
internal sealed record FieldRequirement(string Field, bool Equal, string Value);
