using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PullSecretWebhook.Cli.Manifests;

/// <summary>Emits documents without the explicit <c>...</c> end marker YamlDotNet writes after each one: manifests
/// separate documents with <c>---</c> alone.</summary>
internal sealed class ImplicitDocumentEndEmitter(IEmitter inner) : IEmitter
{
    public void Emit(ParsingEvent @event) => inner.Emit(@event is DocumentEnd ? new DocumentEnd(isImplicit: true) : @event);
}
