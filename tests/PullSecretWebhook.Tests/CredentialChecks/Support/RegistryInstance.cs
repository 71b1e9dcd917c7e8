using System.Diagnostics;

namespace PullSecretWebhook.Tests.CredentialChecks.Support;

/// <summary>One Debian <c>docker-registry</c> (Distribution 2.8) process on a loopback port, serving TLS from the
/// test CA, with the given <c>auth</c> section. Its log goes to a file beside its config, for a failing test to read.</summary>
internal sealed class RegistryInstance : IAsyncDisposable
{
    private readonly Process _process;

    private RegistryInstance(Process process, int port, string logFile)
    {
        _process = process;
        Port = port;
        LogFile = logFile;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public string LogFile { get; }

    public static async Task<RegistryInstance> StartAsync(string directory, RegistryPki pki, string authYaml, HttpClient probe)
    {
        Directory.CreateDirectory(directory);
        var port = RegistryTools.FreePort();
        var config = Path.Combine(directory, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "data")}
              maintenance:
                uploadpurging:
                  enabled: false
            http:
              addr: 127.0.0.1:{port}
              secret: psw-test-secret
              tls:
                certificate: {pki.ServerCertFile}
                key: {pki.ServerKeyFile}
            health:
              storagedriver:
                enabled: false
            auth:
            {authYaml}
            """);
        var logFile = Path.Combine(directory, "registry.log");
        var start = new ProcessStartInfo(RegistryTools.Require(RegistryTools.Registry))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        var log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new RegistryInstance(process, port, logFile);

        // Ready when /v2/ answers anything over TLS.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited at start ({process.ExitCode}): {Tail(logFile)}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri($"https://127.0.0.1:{port}/v2/"));
                return instance;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public static string Tail(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var text = new StreamReader(stream).ReadToEnd();
            return text.Length > 2000 ? text[^2000..] : text;
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
