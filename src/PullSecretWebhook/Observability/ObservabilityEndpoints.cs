using Prometheus;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.EndpointAccess;
using PullSecretWebhook.Hosting;

namespace PullSecretWebhook.Observability;

/// <summary>Maps <c>/healthz</c>, <c>/readyz</c> (open: kubelet probes carry no token) and <c>/metrics</c> (callers the
/// cluster allows; README, "Who may read /status and /metrics"), in every environment.</summary>
internal static class ObservabilityEndpoints
{
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<WebhookMetrics>();
        // One registry per host (tests run several hosts in one process), holding only the product's meter.
        services.AddSingleton(sp => new PrometheusBridge([WebhookMetrics.MeterName], sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }

    /// <summary>Starts exporting before the first request, so instruments created at start-up are seen; returns the
    /// server's instruments (the admission benchmark records through them with the exporter listening).</summary>
    public static WebhookMetrics StartExport(IServiceProvider services)
    {
        _ = services.GetRequiredService<PrometheusBridge>();
        return services.GetRequiredService<WebhookMetrics>();
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        StartExport(app.Services);

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (ServingCertificate certificate, ShutdownState shutdown) => certificate.Current is null
            ? Results.Text("not ready: no serving certificate loaded\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : shutdown.IsStopping
                ? Results.Text("not ready: shutting down\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok\n"));
        // Text format 0.0.4 only (README, "Endpoints"): OpenMetrics negotiation is off, so a scraper asking for
        // application/openmetrics-text gets the same text as everyone else.
        var registry = app.Services.GetRequiredService<PrometheusBridge>().Registry;
        app.MapMetrics(settings =>
        {
            settings.Registry = registry;
            settings.EnableOpenMetrics = false;
        }).RequireClusterAccess();
        return app;
    }
}
