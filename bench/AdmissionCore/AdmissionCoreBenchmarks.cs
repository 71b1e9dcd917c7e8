using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using PullSecretWebhook.Admission;
using PullSecretWebhook.Admission.Wire;
using PullSecretWebhook.Kube;
using PullSecretWebhook.Selection;

namespace AdmissionCore.Benchmarks;

/// <summary>The admission core on the 4 KB Pod CREATE review, the way <c>AdmissionEndpoint</c> runs it once the body
/// is read: read the review from the request buffer (the forward-only <c>AdmissionReviewScanner</c>), decide, build the
/// patch, write the response bytes. <see cref="ReadDecidePatchWrite"/> is the figure with targets (≤ 10 µs, ≤ 8 KB per
/// review); the other methods split it into stages, and <see cref="ReferenceReadDecidePatchWrite"/> is the same work on
/// the fallback path (<c>JsonDocument</c>, the UTF-8 check, <c>AdmissionReviewReader</c>) that bodies the scanner
/// declines take.</summary>
[MemoryDiagnoser]
public class AdmissionCoreBenchmarks
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private ReadOnlySequence<byte> _body;
    private PodMutator _mutator = null!;
    private JsonDocument _parsed = null!;
    private AdmissionRequest _request = null!;
    private AdmissionResponse _response = null!;
    private string _apiVersion = "";

    /// <summary>The review to measure: <c>BENCH_BODY</c>, else tests/Fixtures/bench/pod-create-review-4k.json, which the
    /// build copies beside the program.</summary>
    public static string ReviewPath =>
        Environment.GetEnvironmentVariable("BENCH_BODY") is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "pod-create-review-4k.json");

    [GlobalSetup]
    public void Setup()
    {
        _body = new ReadOnlySequence<byte>(File.ReadAllBytes(ReviewPath));
        var environment = new KubeEnvironment(name => name == "POD_NAMESPACE" ? "psw-system" : null, homeDirectory: null);
        _mutator = new PodMutator(
            Options.Create(new TargetOptions()),
            new NamespaceExclusion(Options.Create(new NamespaceOptions()), environment),
            new UnknownNamespaceFacts(),
            Options.Create(new InjectionOptions()));
        _parsed = JsonDocument.Parse(_body, DocumentOptions);
        if (!AdmissionReviewReader.TryRead(_parsed.RootElement, out _apiVersion, out var request, out var problem))
        {
            throw new InvalidOperationException($"the review is not an AdmissionReview: {problem}");
        }

        _request = request!;
        if (!AdmissionReviewScanner.TryRead(_body.FirstSpan, out _, out _))
        {
            throw new InvalidOperationException("the review must take the scanner's fast path");
        }

        _response = _mutator.Mutate(_request);
        if (_response.Outcome != AdmissionOutcome.Injected)
        {
            throw new InvalidOperationException($"the review must be one the webhook patches; it is {_response.Outcome}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _parsed.Dispose();

    /// <summary>Everything between "body read" and "response bytes ready": the figure with targets.</summary>
    [Benchmark(Baseline = true)]
    public int ReadDecidePatchWrite()
    {
        AdmissionReviewScanner.TryRead(_body.FirstSpan, out var apiVersion, out var request);
        var response = _mutator.Mutate(request!);
        return Answer(apiVersion, response);
    }

    /// <summary>As the endpoint answers: from a template when there is one, else with the writer.</summary>
    private int Answer(string apiVersion, AdmissionResponse response)
    {
        _output.ResetWrittenCount();
        if (AnswerTemplates.TryGet(apiVersion, response, out var template))
        {
            template.CopyTo(_output.GetSpan(template.Length));
            _output.Advance(template.Length);
        }
        else
        {
            AdmissionResponseWriter.Write(_output, apiVersion, response);
        }

        return _output.WrittenCount;
    }

    /// <summary>The fast reader alone: checks the JSON and picks out the fields the decision needs.</summary>
    [Benchmark]
    public bool Scan() => AdmissionReviewScanner.TryRead(_body.FirstSpan, out _, out _);

    /// <summary>The same work on the fallback path, for bodies the scanner declines.</summary>
    [Benchmark]
    public int ReferenceReadDecidePatchWrite()
    {
        using var document = JsonDocument.Parse(_body, DocumentOptions);
        JsonStrings.AreWellFormed(_body, DocumentOptions.MaxDepth);
        AdmissionReviewReader.TryRead(document.RootElement, out var apiVersion, out var request, out _);
        var response = _mutator.Mutate(request!);
        _output.ResetWrittenCount();
        AdmissionResponseWriter.Write(_output, apiVersion, response);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Parse()
    {
        using var document = JsonDocument.Parse(_body, DocumentOptions);
        return document.RootElement.GetPropertyCount();
    }

    /// <summary>The endpoint's check that every string is UTF-8 text (a second, forward-only pass).</summary>
    [Benchmark]
    public bool CheckStrings() => JsonStrings.AreWellFormed(_body, DocumentOptions.MaxDepth);

    [Benchmark]
    public bool ReadEnvelope() => AdmissionReviewReader.TryRead(_parsed.RootElement, out _, out _, out _);

    [Benchmark]
    public int DecideAndBuildPatch() => _mutator.Mutate(_request).Patch.Count;

    /// <summary>The answer from its template, as the endpoint writes a plain answer.</summary>
    [Benchmark]
    public int WriteResponse() => Answer(_apiVersion, _response);

    /// <summary>The same answer rendered by the writer (answers with warnings, and the templates' source).</summary>
    [Benchmark]
    public int WriteResponseWithWriter()
    {
        _output.ResetWrittenCount();
        AdmissionResponseWriter.Write(_output, _apiVersion, _response);
        return _output.WrittenCount;
    }
}
