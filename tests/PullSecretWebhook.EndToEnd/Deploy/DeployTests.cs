using System.Net;
using PullSecretWebhook.EndToEnd.ControlPlane;

namespace PullSecretWebhook.EndToEnd.Deploy;

/// <summary><c>deploy/overlays/self-managed</c> as an operator applies it (<c>kubectl kustomize | kubectl apply</c>)
/// to a real 1.20 API server: what this server lacks is reported, everything else is created.</summary>
[Collection(SharedControlPlane.Name)]
public sealed class DeployTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Apply_OnKubernetes120_RefusesOnlyThePodDisruptionBudget()
    {
        foreach (var line in fixture.Install.Refused)
        {
            output.WriteLine($"refused: {line}");
        }

        // policy/v1 PodDisruptionBudget is served from 1.21; README "Deploying" says what to do on older clusters.
        Assert.Equal(["PodDisruptionBudget policy/v1"], fixture.Install.RefusedKinds);
        Assert.Single(fixture.Install.Refused);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/pullsecret-webhook/serviceaccounts/pullsecret-webhook")]
    [InlineData("/api/v1/namespaces/pullsecret-webhook/services/pullsecret-webhook")]
    [InlineData("/apis/apps/v1/namespaces/pullsecret-webhook/deployments/pullsecret-webhook")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/clusterroles/pullsecret-webhook")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/pullsecret-webhook")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/clusterroles/pullsecret-webhook-metrics-reader")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/namespaces/pullsecret-webhook/roles/pullsecret-webhook")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/namespaces/pullsecret-webhook/rolebindings/pullsecret-webhook")]
    public async Task Apply_OnKubernetes120_CreatesTheObject(string path)
    {
        var response = await fixture.Plane.Admin.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task ServiceAccount_WithTheDeployRbac_MayDoWhatTheProductDoesAndNoMore()
    {
        // What the product's identity may do, asked of the real authorizer (kubectl auth can-i --as ...).
        async Task<bool> CanAsync(params string[] what)
        {
            var (exitCode, stdout, _) = await fixture.Plane.KubectlAsync(["auth", "can-i", .. what, "--as", KubeControlPlane.ProductUser,
                "--as-group", "system:serviceaccounts", "--as-group", $"system:serviceaccounts:{KubeControlPlane.ProductNamespace}", "--as-group", "system:authenticated"]);
            return exitCode == 0 && stdout.Trim() == "yes";
        }

        Assert.True(await CanAsync("watch", "secrets", "--all-namespaces"));
        Assert.True(await CanAsync("patch", "secrets", "-n", "team-a"));
        Assert.True(await CanAsync("update", "leases/pullsecret-webhook", "-n", KubeControlPlane.ProductNamespace));
        Assert.True(await CanAsync("patch", "mutatingwebhookconfigurations/pullsecret-webhook"));
        Assert.True(await CanAsync("create", "tokenreviews.authentication.k8s.io"));
        Assert.True(await CanAsync("create", "subjectaccessreviews.authorization.k8s.io"));
        Assert.False(await CanAsync("patch", "mutatingwebhookconfigurations/someone-elses"));
        Assert.False(await CanAsync("update", "leases/other", "-n", KubeControlPlane.ProductNamespace));
        Assert.False(await CanAsync("get", "configmaps", "-n", "kube-system"));
        Assert.False(await CanAsync("patch", "serviceaccounts", "-n", "team-a"));
        Assert.False(await CanAsync("create", "pods", "-n", "team-a"));
    }
}
