namespace FakeKubeApiServer.Auth;

/// <summary>An authenticated user: name and groups, as authentication/user.Info has them.</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string MastersGroup = "system:masters";

    public bool IsMaster => Groups.Contains(MastersGroup, StringComparer.Ordinal);
}
