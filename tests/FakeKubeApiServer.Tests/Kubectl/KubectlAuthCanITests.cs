namespace FakeKubeApiServer.Tests.Kubectl;

/// <summary>kubectl auth can-i --as: RBAC manifests checked the way an operator checks them on a cluster.</summary>
public sealed class KubectlAuthCanITests : KubectlTest
{
    private string? _rbacFile;

    protected override FakeApiServerOptions Configure(FakeApiServerOptions options)
    {
        _rbacFile = Path.Combine(Path.GetTempPath(), $"rbac-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(_rbacFile, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: secret-reader
            rules:
            - apiGroups: [""]
              resources: ["secrets"]
              verbs: ["get", "list", "watch"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: webhook
            subjects:
            - kind: ServiceAccount
              name: webhook
              namespace: pullsecret-webhook
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: secret-reader
            """);
        options.RbacYamlFiles.Add(_rbacFile);
        return options;
    }

    [Theory]
    [InlineData("list", "secrets", "yes")]
    [InlineData("watch", "secrets", "yes")]
    [InlineData("delete", "secrets", "no")]
    [InlineData("create", "leases.coordination.k8s.io", "no")]
    public async Task Kubectl_AuthCanIAs_ReflectsTheRbacFiles(string verb, string resource, string expected)
    {
        File.Delete(_rbacFile!);

        var result = await Kubectl.RunAsync("auth", "can-i", verb, resource, "-n", "team-a", "--as", "system:serviceaccount:pullsecret-webhook:webhook");

        Assert.Equal(expected, result.Stdout.Trim());
        Assert.Equal(expected == "yes" ? 0 : 1, result.ExitCode);
    }
}
