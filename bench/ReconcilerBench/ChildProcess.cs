using System.Diagnostics;
using System.Globalization;

namespace ReconcilerBench;

/// <summary>A process the bench started (the fake, the webhook): pinned to a CPU with taskset, output to a log file,
/// its PID appended to a file so that the calling script can stop it even if this program is killed.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<string> _firstMatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _waitFor;

    private ChildProcess(Process process, StreamWriter log, string? waitFor)
    {
        _process = process;
        _log = log;
        _waitFor = waitFor;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string cpu, string program, IEnumerable<string> arguments, IDictionary<string, string?> environment, string logPath, string pidFile, string? waitFor = null)
    {
        // The program's folder is its content root: appsettings.json (log levels, JSON logs) is read from there.
        var start = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(program)),
        };
        // A path not ending in .dll is a native executable (the image's Native AOT build), started directly.
        string[] command = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", Path.GetFullPath(program)] : [Path.GetFullPath(program)];
        foreach (var argument in (string[])["-c", cpu, .. command, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        File.AppendAllText(pidFile, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        var child = new ChildProcess(process, log, waitFor);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => child._firstMatch.TrySetException(new InvalidOperationException($"{program} exited with code {process.ExitCode}; see {logPath}"));
        return child;
    }

    /// <summary>The first output line that starts with the text given at start.</summary>
    public Task<string> WaitForLineAsync(TimeSpan timeout) => _firstMatch.Task.WaitAsync(timeout);

    /// <summary>Resident set size now and at its peak (VmRSS, VmHWM), in bytes; null once the process is gone.</summary>
    public (long Current, long Peak)? Memory()
    {
        try
        {
            long current = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    current = Kilobytes(line) * 1024;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line) * 1024;
                }
            }

            return (current, peak);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after we stopped listening.
            }
        }

        if (_waitFor is not null && line.StartsWith(_waitFor, StringComparison.Ordinal))
        {
            _firstMatch.TrySetResult(line);
        }
    }
}
