namespace PullSecretWebhook.Admission;

/// <summary>Settings section <c>Injection</c>. A value that is not a mode stops start-up: configuration binding
/// names the setting (<c>Injection:Mode</c>) in its error.</summary>
internal sealed class InjectionOptions
{
    public const string Section = "Injection";

    /// <summary><c>Injection:Mode</c>: <c>Always</c> (default) or <c>MatchingRegistries</c>.</summary>
    public InjectionMode Mode { get; set; } = InjectionMode.Always;
}
