using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Certificates;

/// <summary>Provides the serving certificate: loads it before Kestrel accepts connections (a broken file stops
/// start-up with a message naming the setting), then, in file mode, reloads it when the files change. cert-manager
/// and the kubelet update mounted Secrets by swapping a <c>..data</c> symlink, which shows up as a change in the
/// directory, so the directory is watched; a periodic check covers volumes whose updates inotify does not see.</summary>
internal sealed class CertificateService(
    TlsMode mode,
    ServingCertificate serving,
    CaBundlePublisher publisher,
    IOptions<TlsOptions> options,
    TimeProvider time,
    ILogger<CertificateService> logger) : BackgroundService
{
    private readonly TlsOptions _options = options.Value;
    private byte[] _loadedHash = [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (mode == TlsMode.Development)
        {
            var certificate = DevelopmentCertificate.Create(time);
            await publisher.PublishAsync(System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()), cancellationToken);
            serving.Set(certificate, []);
            CertificateLog.DevelopmentCertificateInUse(logger);
            CertificateLog.Loaded(logger, "development", certificate.Subject, certificate.NotAfter.ToUniversalTime(), certificate.Thumbprint);
            return;
        }

        await LoadFilesAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = NewSignal();
        using var watchers = WatchDirectories(() => Volatile.Read(ref changed).TrySetResult());
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                await Task.WhenAny(Volatile.Read(ref changed).Task, Task.Delay(_options.ReloadInterval, time, delay.Token));
                await delay.CancelAsync();
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            // Re-arm before reading, so a change that lands during the reload triggers another one.
            Volatile.Write(ref changed, NewSignal());
            await TryReloadAsync(stoppingToken);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task TryReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadFilesAsync(cancellationToken);
        }
        catch (CertificateLoadException e)
        {
            // Mid-rotation the two files may briefly disagree; keep serving the old pair and try again on the next signal.
            CertificateLog.ReloadFailed(logger, e.Message);
        }
    }

    /// <summary>Loads the files unless their content is what is already served; a changed CA file is published
    /// (to registration) before the certificate is served.</summary>
    private async Task LoadFilesAsync(CancellationToken cancellationToken)
    {
        var certFile = _options.CertFile!;
        var keyFile = _options.KeyFile!;
        byte[] hash;
        byte[]? caBundle;
        try
        {
            caBundle = ReadCaBundle(certFile);
            hash = SHA256.HashData([.. File.ReadAllBytes(certFile), .. File.ReadAllBytes(keyFile), .. caBundle ?? []]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateLoadException($"Tls:CertFile '{certFile}', Tls:KeyFile '{keyFile}' or Tls:CaFile could not be read: {e.Message}", e);
        }

        if (hash.AsSpan().SequenceEqual(_loadedHash))
        {
            return;
        }

        var (leaf, intermediates) = PemCertificateLoader.Load(certFile, keyFile);
        await publisher.PublishAsync(caBundle, cancellationToken);
        serving.Set(leaf, intermediates);
        _loadedHash = hash;
        CertificateLog.Loaded(logger, certFile, leaf.Subject, leaf.NotAfter.ToUniversalTime(), leaf.Thumbprint);
    }

    /// <summary><c>Tls:CaFile</c>, else the <c>ca.crt</c> that cert-manager writes beside <c>tls.crt</c>, else none.</summary>
    private byte[]? ReadCaBundle(string certFile)
    {
        if (!string.IsNullOrEmpty(_options.CaFile))
        {
            return File.ReadAllBytes(_options.CaFile);
        }

        var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(certFile))!, "ca.crt");
        return File.Exists(sibling) ? File.ReadAllBytes(sibling) : null;
    }

    private CompositeDisposable WatchDirectories(Action onChange)
    {
        var directories = new[] { _options.CertFile!, _options.KeyFile! }
            .Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!)
            .Distinct(StringComparer.Ordinal);
        var watchers = new CompositeDisposable();
        foreach (var directory in directories)
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, _) => onChange();
            watcher.Created += (_, _) => onChange();
            watcher.Renamed += (_, _) => onChange();
            watcher.Deleted += (_, _) => onChange();
            watcher.EnableRaisingEvents = true;
            watchers.Add(watcher);
        }

        return watchers;
    }

    private sealed class CompositeDisposable : List<IDisposable>, IDisposable
    {
        public void Dispose() => ForEach(d => d.Dispose());
    }
}
