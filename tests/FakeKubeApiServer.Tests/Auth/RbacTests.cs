using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Auth;

public sealed class RbacTests : FakeServerTest
{
    private const string Rbac = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: secret-reader
          namespace: team-a
        rules:
        - apiGroups: [""]
          resources: ["secrets"]
          verbs: ["get", "list", "watch"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: reader
          namespace: team-a
        subjects:
        - kind: ServiceAccount
          name: reader
          namespace: team-a
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: secret-reader
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: one-secret
        rules:
        - apiGroups: [""]
          resources: ["secrets"]
          resourceNames: ["only"]
          verbs: ["get"]
        - apiGroups: ["coordination.k8s.io"]
          resources: ["*"]
          verbs: ["*"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: alice
        subjects:
        - kind: User
          name: alice
          apiGroup: rbac.authorization.k8s.io
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: one-secret
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: ns-viewer
        rules:
        - apiGroups: [""]
          resources: ["namespaces"]
          verbs: ["list"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: viewers
        subjects:
        - kind: Group
          name: viewers
          apiGroup: rbac.authorization.k8s.io
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: ns-viewer
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ignored
        """;

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"rbac-{Guid.NewGuid():N}.yaml");

    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        File.WriteAllText(_file, Rbac);
        options.RbacYamlFiles.Add(_file);
        options.Tokens["reader-token"] = "system:serviceaccount:team-a:reader";
        options.Tokens["alice-token"] = "alice";
        return options;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        File.Delete(_file);
        await CreateNamespaceAsync("team-a");
        await CreateNamespaceAsync("team-b");
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("only"));
        await Client.PostJsonAsync("/api/v1/namespaces/team-a/secrets", KubeHttp.Secret("other"));
    }

    [Fact]
    public async Task ServiceAccount_BoundByRoleBinding_CanListInItsNamespace()
    {
        using var reader = Server.CreateHttpClient("reader-token");

        var response = await reader.GetJsonAsync("/api/v1/namespaces/team-a/secrets");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task ServiceAccount_ListInOtherNamespace_Returns403LikeTheRealServer()
    {
        using var reader = Server.CreateHttpClient("reader-token");

        var response = await reader.GetJsonAsync("/api/v1/namespaces/team-b/secrets");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Forbidden", response.Reason);
        Assert.Equal("secrets is forbidden: User \"system:serviceaccount:team-a:reader\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team-b\"", response.Message);
        Assert.Equal("secrets", response.Object["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServiceAccount_VerbNotGranted_Returns403NamingTheObject()
    {
        using var reader = Server.CreateHttpClient("reader-token");

        var response = await reader.DeleteJsonAsync("/api/v1/namespaces/team-a/secrets/only");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("secrets \"only\" is forbidden: User \"system:serviceaccount:team-a:reader\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"team-a\"", response.Message);
    }

    [Fact]
    public async Task ResourceNames_AllowOnlyTheNamedObject()
    {
        using var alice = Server.CreateHttpClient("alice-token");

        Assert.Equal(HttpStatusCode.OK, (await alice.GetJsonAsync("/api/v1/namespaces/team-a/secrets/only")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetJsonAsync("/api/v1/namespaces/team-a/secrets/other")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetJsonAsync("/api/v1/namespaces/team-a/secrets")).Status);
    }

    [Fact]
    public async Task Wildcards_GrantEveryResourceAndVerbOfTheGroup()
    {
        using var alice = Server.CreateHttpClient("alice-token");

        var response = await alice.PostJsonAsync("/apis/coordination.k8s.io/v1/namespaces/team-a/leases", JsonNode.Parse("""{"metadata":{"name":"l"},"spec":{"holderIdentity":"a"}}""")!);

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Fact]
    public async Task ClusterScopedDenial_SaysAtTheClusterScope()
    {
        using var alice = Server.CreateHttpClient("alice-token");

        var response = await alice.GetJsonAsync("/api/v1/namespaces");

        Assert.Equal("namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope", response.Message);
    }

    [Fact]
    public async Task GroupFromClientCertificate_IsBound()
    {
        var (certPem, keyPem) = Server.IssueClientCertificate("bob", "viewers");
        using var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        using var bob = Server.CreateHttpClient(token: "", clientCertificate: certificate);

        Assert.Equal(HttpStatusCode.OK, (await bob.GetJsonAsync("/api/v1/namespaces")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetJsonAsync("/api/v1/namespaces/team-a/secrets")).Status);
    }

    [Fact]
    public async Task SystemMasters_ClientCertificate_BypassesRbac()
    {
        var (certPem, keyPem) = Server.IssueClientCertificate("root", "system:masters");
        using var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        using var root = Server.CreateHttpClient(token: "", clientCertificate: certificate);

        Assert.Equal(HttpStatusCode.OK, (await root.GetJsonAsync("/api/v1/namespaces/team-b/secrets")).Status);
    }

    [Fact]
    public async Task Discovery_IsOpenToAuthenticatedUsers()
    {
        using var reader = Server.CreateHttpClient("reader-token");

        Assert.Equal(HttpStatusCode.OK, (await reader.GetJsonAsync("/api/v1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetJsonAsync("/version")).Status);
    }

    [Fact]
    public async Task RoleBinding_CreatedThroughTheApi_TakesEffect()
    {
        using var reader = Server.CreateHttpClient("reader-token");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetJsonAsync("/api/v1/namespaces/team-b/secrets")).Status);

        await Client.PostJsonAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-b/rolebindings", JsonNode.Parse("""
            {"metadata":{"name":"reader"},
             "subjects":[{"kind":"ServiceAccount","name":"reader","namespace":"team-a"}],
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"one-secret"}}
            """)!);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetJsonAsync("/api/v1/namespaces/team-b/secrets/only")).Status);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_AnswersForTheCaller()
    {
        using var reader = Server.CreateHttpClient("reader-token");
        var review = JsonNode.Parse("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
             "spec":{"resourceAttributes":{"namespace":"team-a","verb":"list","resource":"secrets"}}}
            """)!;

        var allowed = await reader.PostJsonAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review);
        review["spec"]!["resourceAttributes"]!["verb"] = "delete";
        var denied = await reader.PostJsonAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review);

        Assert.Equal(HttpStatusCode.Created, allowed.Status);
        Assert.True(allowed.Object["status"]!["allowed"]!.GetValue<bool>());
        Assert.False(denied.Object["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Impersonation_ByAdmin_ActsAsTheImpersonatedUser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/team-b/secrets");
        request.Headers.Add("Impersonate-User", "system:serviceaccount:team-a:reader");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("system:serviceaccount:team-a:reader", Server.Requests.Snapshot()[^1].User);
    }

    [Fact]
    public async Task Impersonation_WithoutPermission_Returns403()
    {
        using var reader = Server.CreateHttpClient("reader-token");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/team-a/secrets");
        request.Headers.Add("Impersonate-User", "alice");

        using var response = await reader.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
