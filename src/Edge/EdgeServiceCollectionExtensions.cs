using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using GridGov.Realtime.Edge.Broker;
using GridGov.Realtime.Edge.Diagnostics;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Edge.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Edge;

/// <summary>Composition of the MQTT edge.</summary>
public static class EdgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the broker, its options (bound from <paramref name="configuration"/>, usually the "Edge" section, then
    /// <paramref name="configure"/>), and its Kestrel listeners (TCP, and TLS when a certificate is configured).
    /// Idempotent. Register an <see cref="IMqttAuthenticator"/> (else only anonymous clients, if allowed, can connect)
    /// and any number of <see cref="IMqttUplinkHandler"/>s.
    /// </summary>
    public static IServiceCollection AddEdgeBroker(this IServiceCollection services, IConfiguration? configuration = null, Action<EdgeOptions>? configure = null)
    {
        if (services.Any(d => d.ServiceType == typeof(MqttBroker))) return services;
        var options = services.AddOptions<EdgeOptions>();
        if (configuration is not null) options.Bind(configuration);
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new EdgeMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton<MqttAuthorizer>();
        // The host may register a durable store (the Silo: SQLite); otherwise state lives as long as the process.
        services.TryAddSingleton<IMqttStateStore, InMemoryMqttStateStore>();
        services.AddSingleton<MqttBroker>();
        services.AddHostedService<MqttStateRestorer>();
        services.AddSingleton<IMqttBroker>(sp => sp.GetRequiredService<MqttBroker>());
        services.AddSingleton<IEdgePublisher>(sp => sp.GetRequiredService<MqttBroker>());
        services.AddSingleton<ConnectionRateLimiter>();
        services.AddSingleton<MqttConnectionHandler>();
        services.AddSingleton<EdgeEndpoints>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, EdgeKestrelSetup>();
        return services;
    }

    /// <summary>Convenience for hosts: binds the "Edge" section.</summary>
    public static WebApplicationBuilder AddEdgeBroker(this WebApplicationBuilder builder, Action<EdgeOptions>? configure = null)
    {
        builder.Services.AddEdgeBroker(builder.Configuration.GetSection(EdgeOptions.SectionName), configure);
        return builder;
    }

    /// <summary>MQTT over WebSocket at <see cref="EdgeOptions.WebSocketPath"/> on the HTTP port, subprotocol "mqtt".</summary>
    public static WebApplication MapMqttWebSockets(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value;
        if (!options.Enabled || string.IsNullOrEmpty(options.WebSocketPath)) return app;
        app.UseWebSockets();
        app.Map(options.WebSocketPath, AcceptAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || !context.WebSockets.WebSocketRequestedProtocols.Contains("mqtt"))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest; // [MQTT-6.0.0-3]: the subprotocol is "mqtt"
            return;
        }

        var broker = context.RequestServices.GetRequiredService<MqttBroker>();
        var remote = context.Connection.RemoteIpAddress is { } ip ? new IPEndPoint(ip, context.Connection.RemotePort) : null;
        if (!context.RequestServices.GetRequiredService<ConnectionRateLimiter>().TryAcquire(remote))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync("mqtt");
        var transport = new WebSocketTransport(socket);
        await transport.RunAsync(() => new MqttConnection(transport, remote, transport.Abort, broker).RunAsync(context.RequestAborted));
    }

    private sealed class EdgeKestrelSetup(IOptions<EdgeOptions> options, EdgeEndpoints endpoints, ILogger<MqttBroker> logger) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions kestrel)
        {
            var o = options.Value;
            if (!o.Enabled) return;
            if (o.TcpPort >= 0)
            {
                Listen(kestrel, o, o.TcpPort, listen =>
                {
                    listen.UseConnectionHandler<MqttConnectionHandler>();
                    endpoints.Add("tcp", listen);
                });
                EdgeLog.Listening(logger, "tcp", $"{o.ListenAddress}:{o.TcpPort}");
            }

            if (o.TlsConfigured)
            {
                var certificate = X509Certificate2.CreateFromPemFile(o.TlsCertificatePath!, o.TlsKeyPath);
                Listen(kestrel, o, o.TlsPort, listen =>
                {
                    listen.UseHttps(certificate);
                    listen.UseConnectionHandler<MqttConnectionHandler>();
                    endpoints.Add("tls", listen);
                });
                EdgeLog.Listening(logger, "tls", $"{o.ListenAddress}:{o.TlsPort}");
            }
        }

        private static void Listen(KestrelServerOptions kestrel, EdgeOptions o, int port, Action<ListenOptions> configure)
        {
            if (o.ListenAddress == "*") kestrel.ListenAnyIP(port, configure);
            else kestrel.Listen(IPAddress.Parse(o.ListenAddress), port, configure);
        }
    }
}
