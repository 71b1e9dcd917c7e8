namespace FakeKubeApiServer.Tests.Kubectl;

/// <summary>kubectl as a restricted user: the 403 it prints is the real server's wording.</summary>
public sealed class KubectlRbacTests : KubectlTest
{
    private string? _rbacFile;

    protected override string? Token => "viewer-token";

    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        _rbacFile = Path.Combine(Path.GetTempPath(), $"rbac-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(_rbacFile, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: ns-viewer
            rules:
            - apiGroups: [""]
              resources: ["namespaces"]
              verbs: ["get", "list", "watch"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: viewer
            subjects:
            - kind: ServiceAccount
              name: viewer
              namespace: default
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: ns-viewer
            """);
        options.RbacYamlFiles.Add(_rbacFile);
        options.Tokens["viewer-token"] = "system:serviceaccount:default:viewer";
        return options;
    }

    [Fact]
    public async Task Kubectl_RestrictedUser_GetsForbiddenForSecrets_ButListsNamespaces()
    {
        File.Delete(_rbacFile!);

        var namespaces = (await Kubectl.RunAsync("get", "ns", "-o", "name")).EnsureSuccess();
        var secrets = await Kubectl.RunAsync("get", "secrets", "-n", "default");

        Assert.Contains("namespace/default", namespaces.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, secrets.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:default:viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"",
            secrets.Stderr.Trim());
    }
}
