using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace PullSecretWebhook.Hosting;

/// <summary>Applies <see cref="KestrelLimitsOptions"/> to Kestrel. Separate from the TLS set-up: limits concern every
/// connection whatever serves its certificate.</summary>
internal static class KestrelLimits
{
    public static WebApplicationBuilder AddKestrelLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KestrelLimitsOptions>().BindConfiguration(KestrelLimitsOptions.Section).ValidateWith(new KestrelLimitsOptionsValidator()).ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<KestrelLimitsOptions>>((kestrel, options) => Apply(kestrel.Limits, options.Value));
        return builder;
    }

    internal static void Apply(KestrelServerLimits limits, KestrelLimitsOptions options)
    {
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = options.KeepAliveTimeout;
        limits.MinRequestBodyDataRate = options.MinRequestBodyBytesPerSecond > 0
            ? new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGracePeriod)
            : null;
        limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = options.MaxConcurrentUpgradedConnections;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
        limits.MaxRequestLineSize = options.MaxRequestLineSize;

        var http2 = limits.Http2;
        http2.MaxStreamsPerConnection = options.Http2MaxStreamsPerConnection;
        http2.HeaderTableSize = options.Http2HeaderTableSize;
        http2.MaxFrameSize = options.Http2MaxFrameSize;
        http2.MaxRequestHeaderFieldSize = options.MaxRequestHeadersTotalSize;
        http2.InitialConnectionWindowSize = options.Http2InitialConnectionWindowSize;
        http2.InitialStreamWindowSize = options.Http2InitialStreamWindowSize;
    }
}
