using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using PullSecretWebhook.Kube.Config;

namespace PullSecretWebhook.Kube.Auth;

/// <summary>
/// Runs a client-go credential plugin (client.authentication.k8s.io v1/v1beta1) and caches what it
/// prints until its expirationTimestamp, or until the API server rejects it with a 401.
/// See https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins.
/// </summary>
internal sealed class ExecCredentialProvider(
    ExecPluginSettings settings,
    ExecClusterInfo? clusterInfo,
    TimeProvider timeProvider) : KubeCredentialProvider
{
    /// <summary>A plugin that hangs must not hang every API call behind it.</summary>
    private static readonly TimeSpan PluginTimeout = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private CachedCredentials? _cached;
    private Task<CachedCredentials>? _running;

    public override async ValueTask<KubeCredentials> GetAsync(CancellationToken cancellationToken)
    {
        Task<CachedCredentials> running;
        lock (_lock)
        {
            if (Fresh(_cached) is { } fresh)
            {
                return fresh;
            }

            // One plugin run serves every concurrent caller; it is bounded by its own timeout, so a
            // caller giving up (its token) does not cancel the run the others wait for.
            running = _running ??= RunPluginAsync(CancellationToken.None);
        }

        try
        {
            var result = await running.WaitAsync(cancellationToken);
            lock (_lock)
            {
                _cached = result;
            }

            return result.Credentials;
        }
        finally
        {
            if (running.IsCompleted)
            {
                lock (_lock)
                {
                    if (ReferenceEquals(_running, running))
                    {
                        _running = null;
                    }
                }
            }
        }
    }

    public override bool Invalidate(KubeCredentials rejected)
    {
        // Only forget what was rejected: a concurrent caller may already have fetched a newer one.
        lock (_lock)
        {
            if (_cached is not null && ReferenceEquals(_cached.Credentials, rejected))
            {
                _cached = null;
            }
        }

        return true;
    }

    private KubeCredentials? Fresh(CachedCredentials? cached) =>
        cached is not null && (cached.Expiry is null || timeProvider.GetUtcNow() < cached.Expiry)
            ? cached.Credentials
            : null;

    private async Task<CachedCredentials> RunPluginAsync(CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(settings.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in settings.Args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in settings.Env)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["KUBERNETES_EXEC_INFO"] = JsonSerializer.Serialize(ExecInfo(), ExecJsonContext.Default.ExecCredential);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var hint = settings.InstallHint is null ? string.Empty : $" ({settings.InstallHint.Trim()})";
            throw new KubeConfigException($"exec plugin '{settings.Command}' of user '{settings.UserName}' could not be started: {ex.Message}{hint}", ex);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(PluginTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
        var stderr = process.StandardError.ReadToEndAsync(linked.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new KubeConfigException($"exec plugin '{settings.Command}' of user '{settings.UserName}' did not finish within {PluginTimeout}");
            }

            throw;
        }

        if (process.ExitCode != 0)
        {
            // stderr is the plugin's own error text; stdout is never echoed as it may hold a token.
            var firstLine = (await stderr).Trim().Split('\n', 2)[0];
            throw new KubeConfigException($"exec plugin '{settings.Command}' of user '{settings.UserName}' exited with code {process.ExitCode}: {firstLine}");
        }

        return Parse(await stdout);
    }

    private ExecCredential ExecInfo() => new()
    {
        ApiVersion = settings.ApiVersion,
        Kind = "ExecCredential",
        Spec = new ExecCredentialSpec
        {
            Interactive = false,
            Cluster = settings.ProvideClusterInfo ? clusterInfo : null,
        },
    };

    private CachedCredentials Parse(string output)
    {
        var what = $"exec plugin '{settings.Command}' of user '{settings.UserName}'";
        ExecCredential? credential;
        try
        {
            credential = JsonSerializer.Deserialize(output, ExecJsonContext.Default.ExecCredential);
        }
        catch (JsonException ex)
        {
            throw new KubeConfigException($"{what} printed something that is not an ExecCredential (JSON error at byte {ex.BytePositionInLine})", ex);
        }

        if (credential is null || credential.Kind != "ExecCredential")
        {
            throw new KubeConfigException($"{what} printed kind '{credential?.Kind}', expected ExecCredential");
        }

        if (credential.ApiVersion != settings.ApiVersion)
        {
            throw new KubeConfigException($"{what} printed apiVersion '{credential.ApiVersion}', the kubeconfig asks for '{settings.ApiVersion}'");
        }

        var status = credential.Status ?? throw new KubeConfigException($"{what} printed an ExecCredential without status");
        var hasCertificate = !string.IsNullOrEmpty(status.ClientCertificateData);
        var hasKey = !string.IsNullOrEmpty(status.ClientKeyData);
        if (hasCertificate != hasKey)
        {
            throw new KubeConfigException($"{what} printed {(hasCertificate ? "clientCertificateData without clientKeyData" : "clientKeyData without clientCertificateData")}");
        }

        if (string.IsNullOrEmpty(status.Token) && !hasCertificate)
        {
            throw new KubeConfigException($"{what} printed neither a token nor a client certificate");
        }

        var certificate = hasCertificate
            ? PemCertificates.LoadClientCertificate(status.ClientCertificateData!, status.ClientKeyData!, what)
            : null;
        var token = string.IsNullOrEmpty(status.Token) ? null : status.Token;
        return new CachedCredentials(new KubeCredentials(token, certificate), status.ExpirationTimestamp);
    }

    private sealed record CachedCredentials(KubeCredentials Credentials, DateTimeOffset? Expiry);
}
