using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Hosting;

/// <summary>Settings section <c>Limits</c>: Kestrel's connection and protocol limits, chosen for a server whose only
/// legitimate client is the Kubernetes API server (Go's net/http, in-cluster, small bodies, at most 30 s per call).
/// Kestrel's own values are written beside each where they differ. A distinct section from ASP.NET Core's
/// <c>Kestrel</c>, whose binder cannot read a data rate.</summary>
internal sealed class KestrelLimitsOptions : IValidatableObject
{
    public const string Section = "Limits";

    /// <summary><c>Limits:RequestHeadersTimeout</c>: time to receive all request headers (Kestrel: 30 s). The API
    /// server sends them in one write; a client that trickles them holds a connection for nothing (slow-loris).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Limits:KeepAliveTimeout</c>: an idle connection is closed after this (Kestrel's 130 s, kept). Longer
    /// than Go's 90 s idle-connection timeout, so the API server closes idle connections first and never sends a
    /// request on a connection we are closing.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary><c>Limits:MinRequestBodyBytesPerSecond</c>: a body arriving slower than this (after the grace period)
    /// is cut off with 408 (Kestrel: 240). In-cluster, the API server sends a review in milliseconds; 0 disables.</summary>
    [InRange(0, 1024 * 1024, ErrorMessage = "Limits:MinRequestBodyBytesPerSecond must be between 0 and 1048576.")]
    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    /// <summary><c>Limits:MinRequestBodyGracePeriod</c>: how long a body may arrive slower than the minimum rate
    /// before it is cut off (Kestrel's 5 s, kept; Kestrel checks once a second, so at least 00:00:02).</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Limits:MaxConcurrentConnections</c>: open connections beyond this are refused (Kestrel: no limit).
    /// The API servers hold a few HTTP/2 connections each; the cap bounds memory under a connection flood.</summary>
    [InRange(1, 1_000_000, ErrorMessage = "Limits:MaxConcurrentConnections must be between 1 and 1000000.")]
    public long MaxConcurrentConnections { get; set; } = 1000;

    /// <summary><c>Limits:MaxConcurrentUpgradedConnections</c>: connections upgraded to another protocol (WebSocket)
    /// (Kestrel: no limit). The server has no use for upgrades, so none are allowed by default.</summary>
    [InRange(0, 1_000_000, ErrorMessage = "Limits:MaxConcurrentUpgradedConnections must be between 0 and 1000000.")]
    public long MaxConcurrentUpgradedConnections { get; set; }

    /// <summary><c>Limits:MaxRequestHeadersTotalSize</c>: bytes of all request headers together (Kestrel: 32 KiB);
    /// also the largest single HTTP/2 header field. The API server sends a handful of short headers.</summary>
    [InRange(4096, 1024 * 1024, ErrorMessage = "Limits:MaxRequestHeadersTotalSize must be between 4096 and 1048576.")]
    public int MaxRequestHeadersTotalSize { get; set; } = 16 * 1024;

    /// <summary><c>Limits:MaxRequestHeaderCount</c>: request headers per request (Kestrel: 100).</summary>
    [InRange(8, 1000, ErrorMessage = "Limits:MaxRequestHeaderCount must be between 8 and 1000.")]
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary><c>Limits:MaxRequestLineSize</c>: bytes of the HTTP/1.1 request line (Kestrel: 8 KiB). The API
    /// server's is <c>POST /mutate?timeout=10s HTTP/1.1</c>.</summary>
    [InRange(256, 64 * 1024, ErrorMessage = "Limits:MaxRequestLineSize must be between 256 and 65536.")]
    public int MaxRequestLineSize { get; set; } = 4096;

    /// <summary><c>Limits:Http2MaxStreamsPerConnection</c>: concurrent requests on one HTTP/2 connection (Kestrel:
    /// 100). Raised to Go's own server default, 250: the API server multiplexes every admission call of a burst on
    /// one connection, and a request over the limit waits for a free stream.</summary>
    [InRange(1, 10_000, ErrorMessage = "Limits:Http2MaxStreamsPerConnection must be between 1 and 10000.")]
    public int Http2MaxStreamsPerConnection { get; set; } = 250;

    /// <summary><c>Limits:Http2HeaderTableSize</c>: HPACK dynamic table size (Kestrel's 4096, the RFC 7540 default).</summary>
    [InRange(0, 64 * 1024, ErrorMessage = "Limits:Http2HeaderTableSize must be between 0 and 65536.")]
    public int Http2HeaderTableSize { get; set; } = 4096;

    /// <summary><c>Limits:Http2MaxFrameSize</c>: largest frame payload accepted (Kestrel's 16 KiB, the RFC minimum).</summary>
    [InRange(16 * 1024, (16 * 1024 * 1024) - 1, ErrorMessage = "Limits:Http2MaxFrameSize must be between 16384 and 16777215.")]
    public int Http2MaxFrameSize { get; set; } = 16 * 1024;

    /// <summary><c>Limits:Http2InitialConnectionWindowSize</c>: request body bytes buffered per connection before
    /// the client must wait (Kestrel's 1 MiB, kept): with the stream window, what one connection can make us hold.</summary>
    [InRange(64 * 1024, int.MaxValue, ErrorMessage = "Limits:Http2InitialConnectionWindowSize must be at least 65536.")]
    public int Http2InitialConnectionWindowSize { get; set; } = 1024 * 1024;

    /// <summary><c>Limits:Http2InitialStreamWindowSize</c>: request body bytes buffered per stream (Kestrel's 768 KiB,
    /// kept): a typical review (a few KiB) never waits for a window update.</summary>
    [InRange(64 * 1024, int.MaxValue, ErrorMessage = "Limits:Http2InitialStreamWindowSize must be between 65536 and Limits:Http2InitialConnectionWindowSize.")]
    public int Http2InitialStreamWindowSize { get; set; } = 768 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RequestHeadersTimeout < TimeSpan.FromSeconds(1) || RequestHeadersTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Limits:RequestHeadersTimeout must be between 00:00:01 and 00:05:00.", [nameof(RequestHeadersTimeout)]);
        }

        if (KeepAliveTimeout < TimeSpan.FromSeconds(1) || KeepAliveTimeout > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Limits:KeepAliveTimeout must be between 00:00:01 and 01:00:00.", [nameof(KeepAliveTimeout)]);
        }

        // Kestrel refuses a grace period not longer than its one-second heartbeat.
        if (MinRequestBodyGracePeriod <= TimeSpan.FromSeconds(1) || MinRequestBodyGracePeriod > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Limits:MinRequestBodyGracePeriod must be longer than 00:00:01 and at most 00:05:00.", [nameof(MinRequestBodyGracePeriod)]);
        }

        if (Http2InitialStreamWindowSize > Http2InitialConnectionWindowSize)
        {
            yield return new ValidationResult("Limits:Http2InitialStreamWindowSize must not be larger than Limits:Http2InitialConnectionWindowSize.", [nameof(Http2InitialStreamWindowSize)]);
        }
    }
}

/// <summary><see cref="KestrelLimitsOptions"/>'s validation attributes and <see cref="IValidatableObject.Validate"/>,
/// checked by code generated at build time (<see cref="Hosting.OptionsValidation"/>).</summary>
[OptionsValidator]
internal sealed partial class KestrelLimitsOptionsValidator : IValidateOptions<KestrelLimitsOptions>;
