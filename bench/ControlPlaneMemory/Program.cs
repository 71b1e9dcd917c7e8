using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PullSecretWebhook.EndToEnd.ControlPlane;
using PullSecretWebhook.EndToEnd.Product;

// bench/memory.sh: the product's resident memory against a real kube-apiserver with N namespaces, under each
// garbage-collector configuration in turn. Each run: start, converge (every namespace's target written after a source
// rotation, so every run does the same N updates), idle, sample VmRSS once a second; report the settled RSS (median of
// the idle samples) and the peak (VmHWM).
var namespaces = Argument("--namespaces", 200);
var idleSeconds = Argument("--idle-seconds", 30);
var only = args.SkipWhile(a => a != "--configs").Skip(1).FirstOrDefault()?.Split(',');

var configurations = new (string Name, Dictionary<string, string?> Environment)[]
{
    ("server GC (ASP.NET default, DATAS)", new() { ["DOTNET_gcServer"] = "1" }),
    ("server GC, DATAS off", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" }),
    ("workstation GC, concurrent", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "1" }),
    ("workstation GC, non-concurrent", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" }),
    ("workstation GC, non-concurrent, ConserveMemory=5", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0", ["DOTNET_GCConserveMemory"] = "5" }),
    ("server GC, ConserveMemory=5", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_GCConserveMemory"] = "5" }),
    // W^X maps every page of JIT'd code twice (a writable and an executable view of one memfd), and both count.
    ("server GC, W^X off", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" }),
    ("workstation GC, non-concurrent, W^X off", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0", ["DOTNET_EnableWriteXorExecute"] = "0" }),
    // Without tiering, precompiled (ReadyToRun) framework code is used as it is and never re-jitted.
    ("server GC, tiered compilation off", new() { ["DOTNET_gcServer"] = "1", ["DOTNET_TieredCompilation"] = "0" }),
    ("workstation GC, non-concurrent, W^X off, gen0 4 MiB", new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0", ["DOTNET_EnableWriteXorExecute"] = "0", ["DOTNET_GCgen0size"] = "400000" }),
};

// The image's build (Native AOT, published here once), or PSW_PRODUCT (bench/memory.sh --jit: the JIT build).
await ShippedBuild.EnsureAsync();
Console.WriteLine($"product: {ShippedBuild.Path}");
Console.WriteLine($"control plane: starting (kube-apiserver {ControlPlaneBinaries.Version})");
await using var plane = await KubeControlPlane.StartAsync();
var install = await DeployInstall.ApplyAsync(plane, "deploy/overlays/self-managed");
var sources = await plane.CreateNamespaceAsync("src");
Console.WriteLine($"control plane: creating {namespaces} namespaces");
var names = new List<string>();
for (var i = 0; i < namespaces; i++)
{
    var name = $"ns-{i:D5}";
    await plane.Admin.CreateAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
    names.Add(name);
}

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"| configuration ({namespaces} namespaces) | settled RSS (anonymous, file-backed, shared) | peak RSS | converge |");
table.AppendLine("|---|---|---|---|");
var round = 0;
foreach (var (name, environment) in configurations.Where((c, i) => only is null || only.Contains(i.ToString(CultureInfo.InvariantCulture))))
{
    round++;
    // The image's runtime settings (Dockerfile) apply to every configuration.
    environment["DOTNET_TieredPGO"] = "0";
    environment["DOTNET_TC_DelaySingleProcMultiplier"] = "1";
    var password = $"round-{round}";
    await PutSourceAsync(plane, sources, password);
    var started = DateTimeOffset.UtcNow;
    await using var product = await ProductProcess.StartAsync(plane, install.WebhookUrl, new Dictionary<string, string>
    {
        ["Tls:Mode"] = "SelfManaged",
        ["Registration:Enabled"] = "true",
        ["Sources:Namespaces:0"] = sources,
        ["Logging:LogLevel:Default"] = "Warning",
    }, environment: environment);
    await WaitForPasswordEverywhereAsync(plane, names, password);
    var converged = DateTimeOffset.UtcNow - started;
    var samples = new List<double>();
    for (var second = 0; second < idleSeconds; second++)
    {
        await Task.Delay(TimeSpan.FromSeconds(1)); // a sampling interval, not a wait for a condition
        samples.Add(Status(product.Process.Id, "VmRSS"));
    }

    samples.Sort();
    var settled = samples[samples.Count / 2];
    var peak = Status(product.Process.Id, "VmHWM");
    // Where it is: anonymous memory (GC heap, native allocations, stacks), file-backed pages (the assemblies and
    // native libraries that were touched: clean and shared), shared memory (W^X double-mapped JIT code).
    var (anon, file, shmem) = (Status(product.Process.Id, "RssAnon"), Status(product.Process.Id, "RssFile"), Status(product.Process.Id, "RssShmem"));
    // PSW_SMAPS_DIR: keep /proc/PID/smaps of each run, to see which mappings the resident memory is in.
    if (Environment.GetEnvironmentVariable("PSW_SMAPS_DIR") is { Length: > 0 } smapsDirectory)
    {
        Directory.CreateDirectory(smapsDirectory);
        File.Copy($"/proc/{product.Process.Id}/smaps", Path.Combine(smapsDirectory, $"smaps-{round}.txt"), overwrite: true);
    }

    // PSW_PRODUCT_TAIL: show the product's last log lines (Warning and above here) and whether it registered its webhook.
    if (Environment.GetEnvironmentVariable("PSW_PRODUCT_TAIL") is { Length: > 0 })
    {
        Console.WriteLine(product.Process.Tail(20));
        var webhooks = await plane.Admin.ListAsync("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations");
        var pod = await plane.Admin.CreateAsync($"/api/v1/namespaces/{names[0]}/pods", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"probe-{round}" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "harbor.example.com/app:1" }) },
        });
        Console.WriteLine($"pod {names[0]}/probe-{round} created through admission: imagePullSecrets {pod["spec"]?["imagePullSecrets"]?.ToJsonString() ?? "none"}");
        Console.WriteLine($"mutatingwebhookconfigurations: {string.Join(", ", webhooks.Select(c => $"{c["metadata"]!["name"]} (caBundle {((string?)c["webhooks"]?[0]?["clientConfig"]?["caBundle"])?.Length ?? 0} chars)"))}");
    }

    Console.WriteLine($"{name}: settled {settled:F1} MiB (anon {anon:F1}, file {file:F1}, shmem {shmem:F1}), peak {peak:F1} MiB, converged in {converged.TotalSeconds:F1} s");
    table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {settled:F1} MiB (anon {anon:F1}, file {file:F1}, shmem {shmem:F1}) | {peak:F1} MiB | {converged.TotalSeconds:F1} s |");
}

Console.WriteLine();
Console.Write(table);
return 0;

int Argument(string flag, int fallback)
{
    var index = Array.IndexOf(args, flag);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Status(int pid, string field)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}

static async Task PutSourceAsync(KubeControlPlane plane, string ns, string password)
{
    var config = new JsonObject { ["auths"] = new JsonObject { ["harbor.example.com"] = new JsonObject { ["username"] = "robot", ["password"] = password } } };
    var secret = new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = "harbor", ["labels"] = new JsonObject { ["pullsecret-webhook.io/export"] = "true" } },
        ["type"] = "kubernetes.io/dockerconfigjson",
        ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config.ToJsonString())) },
    };
    var existing = await plane.Admin.GetAsync($"/api/v1/namespaces/{ns}/secrets/harbor");
    if (existing is null)
    {
        await plane.Admin.CreateAsync($"/api/v1/namespaces/{ns}/secrets", secret);
    }
    else
    {
        secret["metadata"]!["resourceVersion"] = existing["metadata"]!["resourceVersion"]!.DeepClone();
        await plane.Admin.UpdateAsync($"/api/v1/namespaces/{ns}/secrets/harbor", secret);
    }
}

static async Task WaitForPasswordEverywhereAsync(KubeControlPlane plane, List<string> names, string password)
{
    var wanted = names.ToHashSet();
    while (true)
    {
        var targets = await plane.Admin.ListAsync("/api/v1/secrets?fieldSelector=metadata.name%3Dpullsecret-webhook");
        var done = targets.Count(t => wanted.Contains((string)t["metadata"]!["namespace"]!)
            && Encoding.UTF8.GetString(Convert.FromBase64String((string)t["data"]![".dockerconfigjson"]!)).Contains(password, StringComparison.Ordinal));
        if (done == wanted.Count)
        {
            return;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200)); // the poll interval while waiting for every target
    }
}
