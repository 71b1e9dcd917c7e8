namespace FakeKubeApiServer.Store;

/// <summary>How a write is carried out.</summary>
[Flags]
internal enum WriteFlags
{
    None = 0,

    /// <summary>dryRun=All: admission runs, nothing is stored, no event.</summary>
    DryRun = 1,

    /// <summary>Seeding by the test or the RBAC files: no validation, no namespace existence check.</summary>
    Seed = 2,
}
