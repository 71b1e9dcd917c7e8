namespace PullSecretWebhook.EndToEnd.ControlPlane;

/// <summary>Hands out the third octet of a loopback /24 for a control plane's Services, machine-wide: a lock file per
/// subnet under /tmp, held open while the control plane runs, so that concurrent test runs on one machine (and a
/// private control plane beside the shared one) never give two Services the same ClusterIP.</summary>
internal static class ServiceSubnets
{
    private static readonly Dictionary<string, FileStream> Held = [];

    public static int Claim()
    {
        for (var octet = 10; octet < 250; octet++)
        {
            var path = Path.Combine(Path.GetTempPath(), $"psw-e2e-subnet-127.0.{octet}.lock");
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                lock (Held)
                {
                    Held[$"127.0.{octet}.0/24"] = stream;
                }

                return octet;
            }
            catch (IOException)
            {
                // Held by another control plane (this run's or another process's): try the next one.
            }
        }

        throw new InvalidOperationException("no free loopback /24 for Service ClusterIPs (127.0.10–249.0/24 all held)");
    }

    public static void Release(string range)
    {
        lock (Held)
        {
            if (Held.Remove(range, out var stream))
            {
                stream.Dispose();
            }
        }
    }
}
