namespace PullSecretWebhook.EndToEnd.Fidelity;

/// <summary>What one step of a sequence saw, normalised so that the same behaviour reads the same on both servers:
/// no resourceVersion numbers, uids, timestamps or namespace names, only outcomes, reasons, chosen fields and
/// relations ("same resourceVersion as created").</summary>
internal sealed record Observation(string Step, string Fact)
{
    public override string ToString() => $"{Step}: {Fact}";
}
