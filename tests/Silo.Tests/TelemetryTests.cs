using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace GridGov.Realtime.Silo.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public void TelemetryIsOffUnlessAnEndpointIsConfigured()
    {
        using var factory = new SiloFactory();
        _ = factory.CreateClient();
        Assert.Null(factory.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void AConfiguredEndpointStartsTheMeterProvider()
    {
        // Nothing listens on the port: the exporter retries in the background and the server runs on.
        using var factory = new SiloFactory(new() { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9", ["Telemetry:OtlpProtocol"] = "http" });
        _ = factory.CreateClient();
        Assert.NotNull(factory.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void AMalformedEndpointStopsStartUpWithAClearMessage()
    {
        using var factory = new SiloFactory(new() { ["Telemetry:OtlpEndpoint"] = "collector:4317" });
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Telemetry:OtlpEndpoint", ex.ToString(), StringComparison.Ordinal);
    }
}
