namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>The registry tests share one set of registries.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryGroup : ICollectionFixture<RegistryFixture>
{
    public const string Name = "Registry";
}
