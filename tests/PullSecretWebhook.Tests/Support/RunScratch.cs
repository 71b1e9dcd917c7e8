namespace PullSecretWebhook.Tests.Support;

/// <summary>A temporary folder shared by a whole test run (an empty HOME, say), deleted when the test process ends.</summary>
internal static class RunScratch
{
    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // Still in use by a process that outlived the run: the system's temp cleaning gets it.
            }
        };
        return path;
    }
}
