using PullSecretWebhook.Admission;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Cli;
using PullSecretWebhook.CredentialChecks;
using PullSecretWebhook.EndpointAccess;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Observability;
using PullSecretWebhook.Reconciliation;
using PullSecretWebhook.Registration;
using PullSecretWebhook.Selection;

if (Cli.IsCommand(args))
{
    return await Cli.RunAsync(args);        // mutate | explain | render | --help (see Cli/)
}

try
{
    // "serve" is the default command; appsettings.json is read from the program's folder wherever it starts (Hosting/).
    var builder = WebApplication.CreateBuilder(ContentRoot.ServerOptions(Cli.ServerArguments(args)));

    builder.Services
        .AddSingleton(TimeProvider.System)      // one clock, replaced in tests
        .AddSelection()                         // which Secret, which namespaces (Target:*, ExcludedNamespaces)
        .AddKube(builder.Configuration)         // our Kubernetes client: kubeconfig or in-cluster, or none
        .AddReconciliation()                    // caches, reconciler, leader election; namespace facts for the webhook
        .AddCredentialChecks()                  // leader checks each exported credential against its registry (CredentialChecks:*)
        .AddRegistration()                      // the MutatingWebhookConfiguration, kept in step with the CA (Registration:*)
        .AddAdmission()                         // POST /mutate: transport + PodMutator
        .AddObservability()                     // metrics instruments and the Prometheus exporter
        .AddEndpointAccess()                    // who reads /status and /metrics: TokenReview + SubjectAccessReview (Observability:*)
        .AddGracefulShutdown();                 // SIGTERM: /readyz 503, drain (Shutdown:DrainDelay), bounded stop
    builder.AddTls();                           // Kestrel HTTPS, serving certificate from files or generated
    builder.AddKestrelLimits();                 // Kestrel timeouts, data rates, connection and HTTP/2 limits (Limits:*)

    var app = builder.Build();

    app.UseJsonStatusCodes();                   // 404/405 from routing get the same JSON error body as every 4xx
    app.UseEndpointAccess();                    // 401/403/503 for callers of /status and /metrics the cluster does not allow

    app.MapAdmission();                         // POST /mutate
    app.MapReconciliation();                    // GET /status (cluster access required)
    app.MapObservability();                     // /healthz, /readyz open; /metrics (cluster access required)

    app.Run();
    return 0;
}
catch (Exception e) when (StartupFailure.IsConfiguration(e))
{
    return StartupFailure.Report(e, Console.Error); // one line naming the setting, exit code 1 (Hosting/)
}

/// <summary>Entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
