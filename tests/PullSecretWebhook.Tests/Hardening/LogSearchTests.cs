using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PullSecretWebhook.Tests.Support;

namespace PullSecretWebhook.Tests.Hardening;

/// <summary>The text the secret-hygiene tests search holds everything a log record carries: a value that reaches a
/// log only through a scope, an inner exception, a structured argument or a plain scope is still found.</summary>
public sealed class LogSearchTests
{
    private static readonly string[] Hidden = ["in-a-pair-scope", "in-a-text-scope", "in-an-inner-exception", "in-a-structured-array"];

    [Fact]
    public void AllText_HoldsScopesExceptionsAndStructuredState()
    {
        using var logs = new FakeLoggerProvider();
        using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)).BuildServiceProvider();
        var logger = services.GetRequiredService<ILogger<LogSearchTests>>();

        using (logger.BeginScope(new Dictionary<string, object?> { ["Pair"] = "in-a-pair-scope" }))
        using (logger.BeginScope("in-a-text-scope"))
        {
            // State whose values the message does not show, as a sink that writes fields would still write them.
            logger.Log(
                LogLevel.Debug,
                default,
                new[] { KeyValuePair.Create<string, object?>("Values", new List<string> { "in-a-structured-array" }) },
                new InvalidOperationException("outer", new FormatException("in-an-inner-exception")),
                (_, _) => "a message without values");
        }

        var record = Assert.Single(logs.Collector.GetSnapshot());
        var text = record.AllText();
        Assert.All(Hidden, value => Assert.Contains(value, text, StringComparison.Ordinal));
        Assert.Equal("in-a-pair-scope", record.Fields()["Pair"]);
        Assert.DoesNotContain("in-a-", record.Message, StringComparison.Ordinal);
    }
}
