using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PullSecretWebhook.Admission;

namespace PullSecretWebhook.Tests.Support;

/// <summary>A fresh in-memory host per test, with optional settings and a replaceable namespace-facts source.</summary>
internal sealed class WebhookFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly INamespaceFactsSource? _facts;
    private readonly Action<IServiceCollection>? _services;

    public WebhookFactory(Dictionary<string, string?>? settings = null, INamespaceFactsSource? facts = null, Action<IServiceCollection>? services = null)
    {
        _settings = settings ?? [];
        _facts = facts;
        _services = services;
    }

    public const string OwnNamespace = "pullsecret-webhook";

    private static readonly string IsolatedHome = RunScratch.Create("psw-home-");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The server's own namespace is always excluded; outside a cluster it would be "default", where most fixtures live.
        builder.UseSetting("POD_NAMESPACE", OwnNamespace);
        // Isolated from the machine: no kubeconfig, no in-cluster variables, unless a test sets them.
        builder.UseSetting("HOME", IsolatedHome);
        builder.UseSetting("KUBECONFIG", "");
        builder.UseSetting("KUBERNETES_SERVICE_HOST", "");
        // No shutdown drain (a real 5 s wait per disposed host) unless a test asks for one.
        builder.UseSetting("Shutdown:DrainDelay", "00:00:00");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            if (_facts is not null)
            {
                services.RemoveAll<INamespaceFactsSource>();
                services.AddSingleton(_facts);
            }

            _services?.Invoke(services);
        });
    }
}
