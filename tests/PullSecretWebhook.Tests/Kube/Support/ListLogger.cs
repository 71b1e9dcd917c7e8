using Microsoft.Extensions.Logging;

namespace PullSecretWebhook.Tests.Kube.Support;

/// <summary>Keeps formatted log lines so a test can check what was logged (and that no secret was).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            _lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
