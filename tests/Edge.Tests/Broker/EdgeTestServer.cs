using System.Net;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Edge.Packets;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Edge.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Edge.Tests.Broker;

/// <summary>
/// A minimal Kestrel host with only the edge: MQTT over TCP on 127.0.0.1 with an ephemeral port, WebSockets on an
/// ephemeral HTTP port, a fixed set of accounts. One per test, so tests never share data.
/// </summary>
internal sealed class EdgeTestServer : IAsyncDisposable
{
    public const string Secret = "s3cret!";
    private readonly WebApplication _app;

    private EdgeTestServer(WebApplication app, int port, int httpPort)
    {
        _app = app;
        Port = port;
        HttpPort = httpPort;
    }

    public int Port { get; }
    public int HttpPort { get; }
    public IMqttBroker Broker => _app.Services.GetRequiredService<IMqttBroker>();
    internal GridGov.Realtime.Edge.Broker.MqttBroker Internals => _app.Services.GetRequiredService<GridGov.Realtime.Edge.Broker.MqttBroker>();
    public string Url => $"mqtt://127.0.0.1:{Port}";

    /// <param name="store">Share one between two servers to restart the broker on the same stored state.</param>
    public static async Task<EdgeTestServer> StartAsync(Action<EdgeOptions>? configure = null, TimeProvider? time = null, IMqttUplinkHandler? uplink = null,
        IMqttStateStore? store = null, IMqttConnectionObserver? observer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        if (time is not null) builder.Services.AddSingleton(time);
        if (uplink is not null) builder.Services.AddSingleton(uplink);
        if (store is not null) builder.Services.AddSingleton(store);
        if (observer is not null) builder.Services.AddSingleton(observer);
        builder.Services.AddSingleton<IMqttAuthenticator, FakeAuthenticator>();
        builder.Services.AddEdgeBroker(configure: o =>
        {
            o.ListenAddress = "127.0.0.1";
            o.TcpPort = 0;
            o.ConnectionsPerSecondPerAddress = 0;
            o.AccountRules["integration"] = new EdgeAccessRule { Publish = ["#"], Subscribe = ["#"] };
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapMqttWebSockets();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var port = app.Services.GetRequiredService<EdgeEndpoints>().Get("tcp")!.Port;
        var http = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => !a.Contains($":{port}", StringComparison.Ordinal))).Port;
        return new EdgeTestServer(app, port, http);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>Accounts: terminal t-1 (region 320508001 and above), sensor s-1, responder user "resp", integration user.</summary>
    private sealed class FakeAuthenticator : IMqttAuthenticator
    {
        public ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationContext context, CancellationToken cancellationToken)
        {
            if (System.Text.Encoding.UTF8.GetString(context.Password.Span) != Secret) return new(MqttAuthenticationResult.BadCredentials);
            MqttPrincipal? principal = context.UserName switch
            {
                "t-1" or "t-2" => MqttAccessRules.Terminal(context.UserName, ["3205", "320508", "320508001"]),
                "s-1" => MqttAccessRules.Sensor("s-1", ["320508"]),
                "resp" => MqttAccessRules.User("resp", isResponder: true, ["3205"]),
                "integration" => new MqttPrincipal("integration", MqttPrincipalKind.User, [], []),
                "revoked" => null,
                _ => null,
            };
            return new(principal is null
                ? context.UserName == "revoked" ? MqttAuthenticationResult.NotAuthorized : MqttAuthenticationResult.BadCredentials
                : MqttAuthenticationResult.Success(principal));
        }
    }
}
