namespace PullSecretWebhook.Reconciliation.Targets;

/// <summary>One namespace to reconcile: its target Secret, then each <see cref="INamespaceFeature"/>.</summary>
internal readonly record struct NamespaceWork(string Name)
{
    /// <summary>An informer handler's step: adds the namespace when the object has one.</summary>
    public static Task AddTo(Action<NamespaceWork> enqueue, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            enqueue(new NamespaceWork(name));
        }

        return Task.CompletedTask;
    }

    public override string ToString() => $"namespace {Name}";
}
