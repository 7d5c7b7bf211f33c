using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GridGov.Realtime.Edge;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Devices;

/// <summary>The real Silo host on Kestrel (HTTP and the MQTT edge on ephemeral loopback ports) driven by mosquitto clients.</summary>
public sealed class DeviceMqttEndToEndTests
{
    private static string Position => string.Create(CultureInfo.InvariantCulture, $$"""{"lat":31.3,"lon":120.6,"ts":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}""");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Host : IAsyncDisposable
    {
        private Host(SiloFactory silo, HttpClient admin, int mqttPort)
        {
            Silo = silo;
            Admin = admin;
            MqttPort = mqttPort;
        }

        public SiloFactory Silo { get; }
        public HttpClient Admin { get; }
        public int MqttPort { get; }

        public static async Task<Host> StartAsync(Action<IServiceCollection>? services = null)
        {
            var httpPort = FreePort();
            var silo = new SiloFactory(new()
            {
                ["Silo:HttpAddress"] = "127.0.0.1",
                ["Silo:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
                ["Edge:ListenAddress"] = "127.0.0.1",
                ["Edge:TcpPort"] = "0",
                ["Edge:ConnectionsPerSecondPerAddress"] = "0",
            }, services: services);
            silo.UseKestrel();
            silo.StartServer();
            var port = silo.Services.GetRequiredService<EdgeEndpoints>().Get("tcp")!.Port;
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            using var token = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = SiloFactory.AdminPassword }, Ct);
            token.EnsureSuccessStatusCode();
            var access = JsonDocument.Parse(await token.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("access_token").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
            return new Host(silo, http, port);
        }

        public async Task<string> CreateAsync(string id, string kind)
        {
            using var created = await Admin.PostAsJsonAsync("/api/devices", new { deviceId = id, kind, regionCode = "320508001" }, Ct);
            created.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("secret").GetString()!;
        }

        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            await Silo.DisposeAsync();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    [Fact]
    public async Task ATerminalPublishesItsOwnPositionAndIsRefusedAnotherDevicesTopic()
    {
        await using var host = await Host.StartAsync();
        var secret = await host.CreateAsync("t-1", "terminal");

        var (own, ownOutput) = await MqttClientProcess.PublishAsync(host.MqttPort, "-d", "-q", "1", "-u", "t-1", "-P", secret, "-i", "handheld-7",
            "-t", "gridgov/v1/terminals/t-1/position", "-m", Position);
        Assert.True(own == 0, ownOutput);
        Assert.Contains("PUBACK", ownOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", ownOutput, StringComparison.OrdinalIgnoreCase);

        var (_, otherOutput) = await MqttClientProcess.PublishAsync(host.MqttPort, "-d", "-q", "1", "-u", "t-1", "-P", secret,
            "-t", "gridgov/v1/terminals/t-2/position", "-m", Position);
        Assert.Contains("not authori", otherOutput, StringComparison.OrdinalIgnoreCase);

        var (wrong, wrongOutput) = await MqttClientProcess.PublishAsync(host.MqttPort, "-u", "t-1", "-P", "not-the-secret",
            "-t", "gridgov/v1/terminals/t-1/position", "-m", Position);
        Assert.NotEqual(0, wrong);
        Assert.Contains("bad user name or password", wrongOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RevokingClosesTheLiveConnectionAndRefusesTheNextConnect()
    {
        await using var host = await Host.StartAsync();
        var secret = await host.CreateAsync("t-1", "terminal");
        await using var sub = MqttClientProcess.Start("mosquitto_sub", host.MqttPort, "-d", "-u", "t-1", "-P", secret, "-i", "any-client-id",
            "-t", "gridgov/v1/terminals/t-1/tasks");
        await sub.WaitForLineAsync("SUBACK");

        using var revoked = await host.Admin.DeleteAsync("/api/devices/t-1", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        // The server closes the connection (DISCONNECT 0x98); the client's reconnect, if any, is refused.
        await sub.WaitForLineAsync("DISCONNECT");
        var (code, output) = await MqttClientProcess.PublishAsync(host.MqttPort, "-u", "t-1", "-P", secret,
            "-t", "gridgov/v1/terminals/t-1/position", "-m", Position);
        Assert.NotEqual(0, code);
        Assert.Contains("not authori", output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Registered after the host's own observer, so it hears of a loss after the worker grain was told.</summary>
    private sealed class LossSignal : GridGov.Realtime.Edge.Hooks.IMqttConnectionObserver
    {
        public TaskCompletionSource<string> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnConnectionLost(string clientId, GridGov.Realtime.Edge.Security.MqttPrincipal principal) => Lost.TrySetResult(principal.Name);
    }

    [Fact]
    public async Task ATerminalThatLosesItsConnectionGoesOfflineAtOnceWithAnOfflineAlert()
    {
        var signal = new LossSignal();
        await using var host = await Host.StartAsync(s => s.AddSingleton<GridGov.Realtime.Edge.Hooks.IMqttConnectionObserver>(signal));
        var secret = await host.CreateAsync("t-1", "terminal");
        var (code, output) = await MqttClientProcess.PublishAsync(host.MqttPort, "-q", "1", "-u", "t-1", "-P", secret,
            "-t", "gridgov/v1/terminals/t-1/position", "-m", Position);
        Assert.True(code == 0, output);
        var worker = host.Silo.Services.GetRequiredService<GridGov.Realtime.Actors.IGrainFactory>().GetGrain<GridGov.Realtime.Grains.Tracking.IWorkerGrain>("t-1");
        var online = await worker.Get();
        Assert.True(online.Online);
        await worker.SetDuty(true);

        // The handheld loses its network: the process dies without DISCONNECT, so the broker would publish its will.
        var sub = MqttClientProcess.Start("mosquitto_sub", host.MqttPort, "-d", "-u", "t-1", "-P", secret, "-i", "handheld-1",
            "-t", "gridgov/v1/terminals/t-1/tasks", "--will-topic", "gridgov/v1/terminals/t-1/position", "--will-payload", "{}");
        await sub.WaitForLineAsync("SUBACK");
        await sub.DisposeAsync();

        Assert.Equal("t-1", await signal.Lost.Task.WaitAsync(MqttClientProcess.Timeout, Ct));
        var after = await worker.Get(); // queued behind the one-way ConnectionLost in the worker's mailbox
        Assert.False(after.Online);
        Assert.Contains(after.ActiveAlerts, a => a.Type == GridGov.Realtime.Grains.Tracking.WorkerAlertTypes.Offline);
    }
}
