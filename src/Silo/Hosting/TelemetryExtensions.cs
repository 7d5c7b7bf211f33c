using GridGov.Realtime.Actors.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GridGov.Realtime.Silo.Hosting;

/// <summary>
/// OpenTelemetry export over OTLP, off unless <c>Telemetry:OtlpEndpoint</c> is set. The hosting
/// extensions package is not in the feed, so the providers are built here and owned by the container
/// (disposed, and so flushed, when the host stops).
/// </summary>
internal static class TelemetryExtensions
{
    /// <summary>Every meter of the server: runtime, edge, tracking, dashboard, and ASP.NET Core's own.</summary>
    public static readonly string[] Meters =
    [
        ActorMetrics.MeterName,
        "GridGov.Realtime.*",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
    ];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["Telemetry:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpoint)) return builder;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"Telemetry:OtlpEndpoint '{endpoint}' is not an absolute URI (e.g. http://collector:4317).");
        }
        var protocol = string.Equals(builder.Configuration["Telemetry:OtlpProtocol"], "http", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        void Configure(OtlpExporterOptions o)
        {
            o.Endpoint = uri;
            o.Protocol = protocol;
        }

        builder.Services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder().AddMeter(Meters).AddOtlpExporter(Configure).Build());
        builder.Services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder().AddSource("GridGov.Realtime.*").AddOtlpExporter(Configure).Build());
        builder.Services.AddHostedService<TelemetryActivator>();
        return builder;
    }

    // Resolving the providers at start-up is what starts them listening.
    private sealed class TelemetryActivator(MeterProvider meters, TracerProvider traces) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(meters);
            GC.KeepAlive(traces);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
