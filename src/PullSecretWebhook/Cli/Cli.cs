using System.CommandLine;
using PullSecretWebhook.Kube;

namespace PullSecretWebhook.Cli;

/// <summary>The command line of the one executable (README, "Command line"): <c>serve</c> (the default: the server,
/// with ASP.NET Core's own <c>--key=value</c> settings), <c>mutate</c>, <c>explain</c> and <c>render</c>. Exit codes: 0
/// success, 1 failure, 2 usage error; errors are one line on standard error.</summary>
internal static class Cli
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    private static readonly string[] HelpTokens = ["--help", "-h", "-?"];

    /// <summary>True when the arguments are for a command rather than the server: a first argument that is a word
    /// (not an ASP.NET setting such as <c>--urls=…</c>, <c>/key=value</c> or <c>key=value</c>), or a help request.
    /// <c>serve</c> is the server, unless help for it is asked for.</summary>
    public static bool IsCommand(string[] args)
    {
        if (args.Length == 0)
        {
            return false;
        }

        var first = args[0];
        if (first == "serve")
        {
            return args.Skip(1).Any(a => HelpTokens.Contains(a, StringComparer.Ordinal));
        }

        return HelpTokens.Contains(first, StringComparer.Ordinal) || first == "--version"
            || !(first.StartsWith('-') || first.StartsWith('/') || first.Contains('=', StringComparison.Ordinal));
    }

    /// <summary>The server's arguments: everything after <c>serve</c>, or all of them when it is implied.</summary>
    public static string[] ServerArguments(string[] args) => args.Length > 0 && args[0] == "serve" ? args[1..] : args;

    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, new CliContext(Console.Out, Console.Error, Console.In, KubeEnvironment.FromProcess()), CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var root = new RootCommand("pullsecret-webhook: a mutating admission webhook that adds an image pull secret reference to Pods, and a reconciler that keeps that Secret merged from exported credentials in every namespace. Without a command it runs the server (serve).")
        {
            ServeCommand(),
            MutateCommand.Create(context),
            ExplainCommand.Create(context),
            RenderCommand.Create(context),
        };
        var result = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false };
        if (result.Errors.Count > 0 && !HelpTokens.Any(h => args.Contains(h, StringComparer.Ordinal)))
        {
            var command = result.CommandResult.Command;
            var name = command is RootCommand ? "pullsecret-webhook" : $"pullsecret-webhook {command.Name}";
            // An unknown word is more to the point than the "required command" it leaves missing.
            var error = result.Errors.FirstOrDefault(e => result.UnmatchedTokens.Any(t => e.Message.Contains(t, StringComparison.Ordinal))) ?? result.Errors[0];
            await context.Error.WriteLineAsync($"error: {error.Message} (see: {name} --help)");
            return UsageError;
        }

        try
        {
            return await result.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception e) when (e is CliException || KubeApiException.IsApiFailure(e))
        {
            await context.Error.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ")}");
            return Failure;
        }
    }

    /// <summary>Documents <c>serve</c> in the help; running it is Program's job, which never routes it here.</summary>
    private static Command ServeCommand()
    {
        var command = new Command("serve", "Run the webhook server and the reconciler (the default when no command is given). Takes ASP.NET Core settings such as --urls=https://0.0.0.0:8443 and --Target:SecretName=NAME; see the README for every setting.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(_ => Success);
        return command;
    }
}
