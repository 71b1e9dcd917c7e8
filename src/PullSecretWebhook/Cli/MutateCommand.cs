using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using PullSecretWebhook.Cli.Manifests;
using YamlDotNet.Core;

namespace PullSecretWebhook.Cli;

/// <summary><c>mutate -f FILE|-</c>: the webhook's injection applied offline to manifests (README, "Command
/// line").</summary>
internal static class MutateCommand
{
    private static readonly JsonWriterOptions PatchOutput = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var file = new Option<string>("--filename", "-f", "--file")
        {
            Description = "The manifest to read (YAML or JSON, multi-document YAML and List kinds too); - reads standard input.",
            Required = true,
            HelpName = "FILE|-",
        };
        var patch = new Option<bool>("--patch") { Description = "Print the JSON Patch of each object (with its document index, kind and name) instead of the mutated manifest." };
        var secretName = CliOptions.SecretName();
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace of objects that name none (as kubectl apply -n would place them); used for namespace exclusion." };
        var exclude = new Option<string[]>("--exclude-namespace")
        {
            Description = "A namespace never injected, in addition to kube-system, kube-public and kube-node-lease (repeatable, like the server's ExcludedNamespaces).",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("mutate", "Offline: print the manifest with the image pull secret reference added as the webhook would add it to Pods and to the Pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs. Other objects pass through unchanged. No cluster is needed.")
        {
            file, patch, secretName, ns, exclude,
        };
        command.SetAction(result =>
        {
            var text = Read(result.GetRequiredValue(file), context);
            IManifest manifest;
            try
            {
                manifest = ManifestReader.Parse(text);
            }
            catch (JsonException e)
            {
                throw new CliException($"the input is neither valid YAML nor valid JSON: {OneLine(e.Message)}", e);
            }
            catch (YamlException e)
            {
                throw new CliException($"the input is neither valid YAML nor valid JSON: line {e.Start.Line}, column {e.Start.Column}: {OneLine(e.Message)}", e);
            }

            var planner = new InjectionPlanner(result.GetRequiredValue(secretName), result.GetValue(ns), InjectionPlanner.Exclusions(result.GetValue(exclude) ?? []));
            var results = manifest.Documents.SelectMany((document, index) => planner.Plan(index, document)).ToList();
            if (result.GetValue(patch))
            {
                WritePatches(context.Output, results);
                return 0;
            }

            foreach (var r in results.Where(r => r.Operation is not null))
            {
                manifest.Apply(r.Document, r.Operation!);
            }

            manifest.Write(context.Output);
            return 0;
        });
        return command;
    }

    private static string Read(string path, CliContext context)
    {
        if (path == "-")
        {
            return context.Input.ReadToEnd();
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>One entry per object: where it is, what was decided, and its operations rooted at its document.</summary>
    private static void WritePatches(TextWriter output, IReadOnlyList<ObjectResult> results)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, PatchOutput))
        {
            writer.WriteStartArray();
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteNumber("document", r.Document);
                if (r.Item is { } item)
                {
                    writer.WriteNumber("item", item);
                }

                writer.WriteString("kind", r.Kind);
                writer.WriteString("name", r.Name);
                if (r.Namespace is not null)
                {
                    writer.WriteString("namespace", r.Namespace);
                }

                writer.WriteString("outcome", r.Outcome);
                writer.WriteStartArray("patch");
                if (r.Operation is { } operation)
                {
                    writer.WriteStartObject();
                    writer.WriteString("op", operation.Op);
                    writer.WriteString("path", operation.Path);
                    writer.WritePropertyName("value");
                    operation.Value.WriteTo(writer);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
