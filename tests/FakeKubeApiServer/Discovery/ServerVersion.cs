using System.Globalization;

namespace FakeKubeApiServer.Discovery;

/// <summary>The Kubernetes release the fake poses as (<see cref="FakeApiServerOptions.ServerVersion"/>): what
/// <c>/version</c> reports, and which version-dependent behaviours apply.</summary>
internal sealed record ServerVersion(int Major, int Minor, int Patch)
{
    /// <summary>"1.20.2" or "1.20" (patch 0); anything else is a <see cref="FormatException"/>.</summary>
    public static ServerVersion Parse(string text)
    {
        var parts = (text ?? "").Split('.');
        var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        if (parts.Length is < 2 or > 3 || numbers.Any(n => n < 0))
        {
            throw new FormatException($"the server version must be MAJOR.MINOR[.PATCH], e.g. 1.32.0 (got \"{text}\")");
        }

        return new ServerVersion(numbers[0], numbers[1], parts.Length == 3 ? numbers[2] : 0);
    }

    public bool IsBefore(int major, int minor) => Major < major || (Major == major && Minor < minor);

    /// <summary>v1.32.0-fake: a real gitVersion's shape, with a suffix as distributions add one.</summary>
    public string GitVersion => string.Create(CultureInfo.InvariantCulture, $"v{Major}.{Minor}.{Patch}-fake");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
