using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PullSecretWebhook.Tests.Support;

/// <summary>Captures every log entry with its scopes' key/value pairs, for asserting on structured logs.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    internal sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields, Exception? Exception, int EventId)
    {
        public string AllText => $"{Message} {Exception} {string.Join(' ', Fields.Select(f => $"{f.Key}={f.Value}"))}";
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>();
            owner._scopes.ForEachScope((scope, acc) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        acc[key] = value;
                    }
                }
            }, fields);
            if (state is IEnumerable<KeyValuePair<string, object?>> own)
            {
                foreach (var (key, value) in own)
                {
                    fields[key] = value;
                }
            }

            owner.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), fields, exception, eventId.Id));
        }
    }
}
