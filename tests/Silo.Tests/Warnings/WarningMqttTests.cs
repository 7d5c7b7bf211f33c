using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Silo.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Warnings;

/// <summary>
/// The real host on Kestrel with the MQTT broker on an ephemeral port: a warning issued over REST is the
/// retained message of its region's topic, received by a real client (mosquitto_sub) that connects
/// afterwards, and lifting clears it.
/// </summary>
public sealed class WarningMqttTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Password = "a-long-enough-password";

    [Fact]
    public async Task AnIssuedWarningIsRetainedForSubscribersConnectingLaterAndLiftingClearsIt()
    {
        var httpPort = FreePort();
        await using var factory = new SiloFactory(new Dictionary<string, string?>
        {
            ["Silo:HttpAddress"] = "127.0.0.1",
            ["Silo:HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Edge:ListenAddress"] = "127.0.0.1",
            ["Edge:TcpPort"] = "0",
        });
        factory.UseKestrel();
        factory.StartServer();
        // Kestrel also listens for MQTT, so talk HTTP to the HTTP port explicitly.
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var token = await admin.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = SiloFactory.AdminPassword }, Ct);
        token.EnsureSuccessStatusCode();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString());
        await DemoCity.Create().InstallAsync(factory.Services.GetRequiredService<DirectoryImportService>(), Ct);
        (await admin.PostAsJsonAsync("/api/users", new { username = "mqtt-worker", password = Password, role = Roles.GridWorker, region_scope = "310101" }, Ct))
            .EnsureSuccessStatusCode();
        var port = factory.Services.GetRequiredService<EdgeEndpoints>().Get("tcp")!.Port;

        var issued = await admin.PostAsJsonAsync("/api/regions/310101/warnings", new { requestId = "m1", level = "Orange", reason = "typhoon" }, Ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var id = (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        var (topic, payload) = await ReceiveRetainedAsync(port, "gridgov/v1/regions/310101/warning");
        Assert.Equal("gridgov/v1/regions/310101/warning", topic);
        var json = JsonDocument.Parse(payload).RootElement;
        Assert.Equal("310101", json.GetProperty("code").GetString());
        Assert.Equal("Orange", json.GetProperty("level").GetString());
        Assert.Equal(id, json.GetProperty("warningId").GetString());
        Assert.Equal("admin", json.GetProperty("issuedBy").GetString());
        Assert.Equal("typhoon", json.GetProperty("reason").GetString());
        Assert.True(json.TryGetProperty("since", out _));

        // Lift the district's warning and issue one for the city: a later subscriber to both topics gets only the city's.
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/regions/310101/warnings/{id}?reason=passed", Ct)).StatusCode);
        var city = await admin.PostAsJsonAsync("/api/regions/310100/warnings", new { requestId = "m2", level = "Blue", reason = "fog" }, Ct);
        Assert.Equal(HttpStatusCode.Created, city.StatusCode);
        var (cityTopic, cityPayload) = await ReceiveRetainedAsync(port, "gridgov/v1/regions/310101/warning", "gridgov/v1/regions/310100/warning");
        Assert.Equal("gridgov/v1/regions/310100/warning", cityTopic);
        Assert.Equal("Blue", JsonDocument.Parse(cityPayload).RootElement.GetProperty("level").GetString());
    }

    /// <summary>Connects as the grid worker (its ACL allows its region's and ancestors' warnings) and returns the first message.</summary>
    private static async Task<(string Topic, string Payload)> ReceiveRetainedAsync(int port, params string[] topics)
    {
        var info = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv311",
                     "-u", "mqtt-worker", "-P", Password, "-i", $"warn-{Guid.NewGuid():N}"[..20], "-C", "1", "-W", "20", "-v"])
            info.ArgumentList.Add(a);
        foreach (var t in topics)
        {
            info.ArgumentList.Add("-t");
            info.ArgumentList.Add(t);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var line = (await output).Trim();
        Assert.True(process.ExitCode == 0, $"mosquitto_sub exited {process.ExitCode}: {await error} {line}");
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return (line[..space], line[(space + 1)..]);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
