using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Cli;

/// <summary>What a command writes to and reads from: the streams, and the process environment (for KUBECONFIG and
/// the home directory), all replaceable so that tests run commands in-process.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, TextReader Input, KubeEnvironment Environment);
