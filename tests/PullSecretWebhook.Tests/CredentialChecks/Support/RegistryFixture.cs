using System.Text;
using System.Text.Json.Nodes;

namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>Real registries on loopback, shared by the registry tests: Distribution 2.8 with htpasswd (Basic) auth,
/// Distribution 2.8 with token auth whose realm is <see cref="TokenIssuer"/>, and a token-auth registry whose token
/// service is down. skopeo pushes <c>team/app:1</c> into the first two and judges rendered auth files.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string Image = "team/app:1";
    private readonly string _directory = Directory.CreateTempSubdirectory("psw-registry-").FullName;
    private readonly List<IAsyncDisposable> _running = [];

    /// <summary>Users of both registries: user → password.</summary>
    public static IReadOnlyDictionary<string, string> Users { get; } = new Dictionary<string, string>
    {
        ["alice"] = "alice-pass-1",
        ["bob"] = "bob-pass-1",
    };

    internal RegistryPki Pki { get; private set; } = null!;

    internal TokenIssuer Issuer { get; private set; } = null!;

    internal RegistryInstance Basic { get; private set; } = null!;

    internal RegistryInstance Token { get; private set; } = null!;

    internal RegistryInstance IssuerDown { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Pki = new RegistryPki(Path.Combine(_directory, "pki"));
        using var probe = Pki.TrustingClient();

        Issuer = await TokenIssuer.StartAsync(Pki.Serving, Pki.SigningKey);
        _running.Add(Issuer);
        foreach (var (user, password) in Users)
        {
            Issuer.Passwords[user] = password;
        }

        var htpasswd = new StringBuilder();
        foreach (var (user, password) in Users)
        {
            var (code, output) = await RegistryTools.RunAsync(RegistryTools.Htpasswd, ["-Bbn", user, password]);
            Assert.True(code == 0, $"htpasswd failed: {output}");
            htpasswd.AppendLine(output.Trim());
        }

        var htpasswdFile = Path.Combine(_directory, "htpasswd");
        File.WriteAllText(htpasswdFile, htpasswd.ToString());

        Basic = await StartAsync("basic", $"""
              htpasswd:
                realm: psw-test
                path: {htpasswdFile}
            """, probe);
        Token = await StartAsync("token", TokenAuth(Issuer.Realm), probe);
        IssuerDown = await StartAsync("issuer-down", TokenAuth($"https://127.0.0.1:{RegistryTools.FreePort()}/token"), probe);

        var layout = OciLayout.Write(Path.Combine(_directory, "layout"), "1");
        foreach (var registry in new[] { Basic, Token })
        {
            var (code, output) = await RegistryTools.RunAsync(
                RegistryTools.Skopeo,
                ["copy", "--dest-creds", $"alice:{Users["alice"]}", "--dest-cert-dir", Pki.CertDirectory, $"oci:{layout}:1", $"docker://{registry.Host}/{Image}"],
                TimeSpan.FromSeconds(60),
                SkopeoEnvironment());
            Assert.True(code == 0, $"skopeo could not push {Image} to {registry.Host}: {output}\nregistry log: {RegistryInstance.Tail(registry.LogFile)}");
        }
    }

    /// <summary>A .dockerconfigjson with one key per (key, user, password).</summary>
    public static string DockerConfig(params (string Key, string User, string Password)[] entries)
    {
        var auths = new JsonObject();
        foreach (var (key, user, password) in entries)
        {
            auths[key] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) };
        }

        return new JsonObject { ["auths"] = auths }.ToJsonString();
    }

    /// <summary>The independent judge: does skopeo, with this auth file, read the image's manifest?</summary>
    public async Task<(bool Pulls, string Output)> SkopeoInspectAsync(string authFileJson, string imageReference)
    {
        var file = Path.Combine(_directory, $"auth-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, authFileJson);
        var (code, output) = await RegistryTools.RunAsync(
            RegistryTools.Skopeo,
            ["inspect", "--raw", "--authfile", file, "--cert-dir", Pki.CertDirectory, $"docker://{imageReference}"],
            TimeSpan.FromSeconds(60),
            SkopeoEnvironment());
        File.Delete(file);
        return (code == 0, output);
    }

    public async Task DisposeAsync()
    {
        foreach (var running in Enumerable.Reverse(_running))
        {
            await running.DisposeAsync();
        }

        Pki?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A registry still closing a file: the OS cleans the temp folder.
        }
    }

    /// <summary>skopeo must not read this machine's auth files or registries config.</summary>
    private Dictionary<string, string> SkopeoEnvironment() => new()
    {
        ["PSW_UNUSED"] = Directory.CreateDirectory(Path.Combine(_directory, "home")).FullName + Directory.CreateDirectory(Path.Combine(_directory, "run")).FullName,
        ["HOME"] = Path.Combine(_directory, "home"),
        ["XDG_RUNTIME_DIR"] = Path.Combine(_directory, "run"),
        ["REGISTRY_AUTH_FILE"] = Path.Combine(_directory, "no-auth.json"),
    };

    private static string TokenAuth(string realm) => $"""
          token:
            realm: {realm}
            service: {TokenIssuer.Service}
            issuer: {TokenIssuer.Issuer}
            rootcertbundle: SIGNER
        """;

    private async Task<RegistryInstance> StartAsync(string name, string auth, HttpClient probe)
    {
        var registry = await RegistryInstance.StartAsync(Path.Combine(_directory, name), Pki, auth.Replace("SIGNER", Pki.SignerCertFile, StringComparison.Ordinal), probe);
        _running.Add(registry);
        return registry;
    }
}
