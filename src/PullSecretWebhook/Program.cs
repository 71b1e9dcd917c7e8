using PullSecretWebhook.Admission;
using PullSecretWebhook.Certificates;
using PullSecretWebhook.Hosting;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Observability;
using PullSecretWebhook.Reconciliation;
using PullSecretWebhook.Registration;
using PullSecretWebhook.Selection;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddSingleton(TimeProvider.System)      // one clock, replaced in tests
    .AddSelection()                         // which Secret, which namespaces (Target:*, ExcludedNamespaces)
    .AddKube(builder.Configuration)         // our Kubernetes client: kubeconfig or in-cluster, or none
    .AddReconciliation()                    // caches, reconciler, leader election; namespace facts for the webhook
    .AddRegistration()                      // the MutatingWebhookConfiguration, kept in step with the CA (Registration:*)
    .AddAdmission()                         // POST /mutate: transport + PodMutator
    .AddObservability()                     // metrics instruments and the Prometheus exporter
    .AddGracefulShutdown();                 // SIGTERM: /readyz 503, drain (Shutdown:DrainDelay), bounded stop
builder.AddTls();                           // Kestrel HTTPS, serving certificate from files or generated

var app = builder.Build();

app.MapAdmission();                         // POST /mutate
app.MapReconciliation();                    // GET /status
app.MapObservability();                     // /healthz, /readyz, /metrics

app.Run();

/// <summary>Entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
