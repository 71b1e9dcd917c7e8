using System.Globalization;
using System.Runtime.InteropServices;

namespace FakeKubeApiServer;

/// <summary>
/// Standalone: <c>--port PORT --kubeconfig FILE [--http] [--history N] [--server-version X.Y.Z] [--rbac FILE ...]</c>.
/// Writes the kubeconfig, prints <c>ready URL</c> once listening, runs until SIGTERM or Ctrl-C.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: FakeKubeApiServer [--port PORT] [--kubeconfig FILE] [--http] [--history N] [--server-version X.Y.Z] [--token TOKEN] [--rbac FILE ...]";

    public static async Task<int> Main(string[] args)
    {
        var options = new FakeApiServerOptions();
        string? kubeconfig = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--port":
                        options.Port = int.Parse(Value(args, ++i), CultureInfo.InvariantCulture);
                        break;
                    case "--kubeconfig":
                        kubeconfig = Value(args, ++i);
                        break;
                    case "--http":
                        options.UseHttps = false;
                        break;
                    case "--history":
                        options.HistorySize = int.Parse(Value(args, ++i), CultureInfo.InvariantCulture);
                        break;
                    case "--server-version":
                        options.ServerVersion = Discovery.ServerVersion.Parse(Value(args, ++i)).ToString();
                        break;
                    case "--token":
                        options.Token = Value(args, ++i);
                        break;
                    case "--rbac":
                        options.RbacYamlFiles.Add(Value(args, ++i));
                        break;
                    case "-h" or "--help":
                        await Console.Out.WriteLineAsync(Usage);
                        return 0;
                    default:
                        throw new FormatException($"unknown argument {args[i]}");
                }
            }
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{Usage}");
            return 2;
        }

        await using var server = await FakeApiServer.StartAsync(options);
        if (kubeconfig is not null)
        {
            server.WriteKubeconfig(kubeconfig);
        }

        await Console.Out.WriteLineAsync($"ready {server.BaseAddress}");
        var stop = new TaskCompletionSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        await stop.Task;
        return 0;
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new FormatException($"{args[i - 1]} needs a value");
}
