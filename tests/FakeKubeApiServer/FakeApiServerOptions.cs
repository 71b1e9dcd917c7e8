namespace FakeKubeApiServer;

/// <summary>How a <see cref="FakeApiServer"/> listens, authenticates and remembers history.</summary>
public sealed class FakeApiServerOptions
{
    /// <summary>Loopback port; 0 picks an ephemeral one (kept across <see cref="FakeApiServer.RestartAsync"/>).</summary>
    public int Port { get; set; }

    /// <summary>HTTPS with the server's own CA; false serves plain HTTP.</summary>
    public bool UseHttps { get; set; } = true;

    /// <summary>Watch events kept; resuming a watch from an older resourceVersion gets 410 Gone.</summary>
    public int HistorySize { get; set; } = 1000;

    /// <summary>Bearer token of the admin user (group system:masters: everything allowed).</summary>
    public string Token { get; set; } = "fake-admin-token";

    /// <summary>Extra bearer tokens: token to username (e.g. "system:serviceaccount:ns:sa").</summary>
    public IDictionary<string, string> Tokens { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// RBAC manifests (multi-document YAML). When non-empty, users other than the admin and
    /// system:masters are authorized by the Roles, ClusterRoles and bindings they contain.
    /// </summary>
    public IList<string> RbacYamlFiles { get; } = [];

    /// <summary>How often watches opened with allowWatchBookmarks=true receive a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The Kubernetes release to pose as, MAJOR.MINOR[.PATCH]: what <c>/version</c> reports, and before 1.28
    /// MutatingWebhookConfiguration writes drop <c>matchConditions</c> without an error, as a server that does not
    /// know the field (before 1.27) or has it off (1.27) does.
    /// </summary>
    public string ServerVersion { get; set; } = "1.32.0";
}
