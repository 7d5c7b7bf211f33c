using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Dashboard.Tests.Live;

/// <summary>
/// The tracking issue's "done when", end to end over real protocols: a terminal (Debian's mosquitto_pub,
/// MQTT 3.1.1 and 5.0) publishes fixes to the server's broker; intake makes them durable and moves the
/// worker grain across grids; the command centre of the worker's district (a real @microsoft/signalr
/// client) sees it move, its enter/exit events and its SOS alert, live; the centre of another district
/// sees none of it.
/// </summary>
[Collection(LiveSiloCollection.Name)]
public sealed class EndToEndTrackingTests(LiveSilo silo)
{
    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task AnMqttTerminalMovingAcrossGridsIsSeenByItsDistrictAndNotByAnother(string protocol)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var worker = $"w{suffix}";
        const string password = "terminal-password-1";
        var (gridA, gridB) = TwoNeighbouringGridsOf(silo.DistrictA);
        await silo.AdminPostAsync("/api/workers/import",
            $"worker_id,name,role,region_code,assigned_grids,active\n{worker},E2E Worker,grid_worker,{silo.DistrictA.Code},{gridA.Code};{gridB.Code},true\n", "text/csv");
        await silo.CreateUserAsync(worker, password, silo.DistrictA.Code, "grid_worker");
        var tokenA = await silo.CreateUserAsync($"cca{suffix}", "password-of-district-a", silo.DistrictA.Code);
        var tokenB = await silo.CreateUserAsync($"ccb{suffix}", "password-of-district-b", silo.DistrictB.Code);

        await using var centreA = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token = tokenA, subscribe = new[] { silo.DistrictA.Code } });
        await using var centreB = NodeScript.Start("signalr-client.mjs", new { url = silo.BaseUrl, token = tokenB, subscribe = new[] { silo.DistrictB.Code } });
        await centreA.UntilAsync("ready");
        await centreB.UntilAsync("ready");

        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        await PublishAsync(protocol, worker, password, "position", Fix(gridA, t0));
        await PublishAsync(protocol, worker, password, "position", Fix(gridB, t0 + 120_000)); // two minutes later: a plausible walk

        // Enter grid A, then cross from A to B: both arrive in order, each with the district as scope.
        var (enter, _) = await centreA.UntilAsync("GridTransition");
        Assert.Equal(worker, enter.GetProperty("data").GetProperty("workerId").GetString());
        Assert.Equal(gridA.Code, enter.GetProperty("data").GetProperty("toGrid").GetString());
        var (cross, beforeCross) = await centreA.UntilAsync("GridTransition");
        Assert.Equal(gridA.Code, cross.GetProperty("data").GetProperty("fromGrid").GetString());
        Assert.Equal(gridB.Code, cross.GetProperty("data").GetProperty("toGrid").GetString());

        // A coalesced position batch shows the worker in grid B, where it is now.
        var moved = await PositionInGridAsync(centreA, worker, gridB.Code, beforeCross.Where(e => e.GetProperty("event").GetString() == "Positions"));
        Assert.Equal(gridB.Geometry.InteriorPoint.Y, moved.GetProperty("lat").GetDouble(), 6);
        Assert.Equal(gridB.Geometry.InteriorPoint.X, moved.GetProperty("lon").GetDouble(), 6);

        await PublishAsync(protocol, worker, password, "sos",
            $$"""{"lat":{{Lat(gridB)}},"lon":{{Lon(gridB)}},"ts":{{t0 + 150_000}},"note":"help"}""");
        var (alert, _) = await centreA.UntilAsync("Alert");
        Assert.Equal("sos", alert.GetProperty("data").GetProperty("type").GetString());
        Assert.Equal(worker, alert.GetProperty("data").GetProperty("subject").GetString());

        // Everything for A has arrived; a later message meant for B proves B got nothing of it before.
        silo.Feed.AlertChanged(new($"marker-{suffix}", "sensor-b", "smoke", GridGov.Realtime.Grains.Live.AlertSeverity.Info, true,
            [silo.DistrictB.Code], null, null, null, "marker", DateTimeOffset.UtcNow));
        var (_, beforeMarker) = await centreB.UntilAsync("Alert");
        Assert.DoesNotContain(beforeMarker, e => e.GetRawText().Contains(worker, StringComparison.Ordinal));
    }

    /// <summary>The worker's position in <paramref name="grid"/> from the batches seen so far or the next ones (batches flush every 250 ms).</summary>
    private static async Task<JsonElement> PositionInGridAsync(NodeScript centre, string worker, string grid, IEnumerable<JsonElement> seen)
    {
        foreach (var batch in seen)
        {
            if (Find(batch) is { } p) return p;
        }
        while (true)
        {
            var (batch, _) = await centre.UntilAsync("Positions");
            if (Find(batch) is { } p) return p;
        }

        JsonElement? Find(JsonElement batch) => batch.GetProperty("data").GetProperty("positions").EnumerateArray()
            .Where(p => p.GetProperty("workerId").GetString() == worker && p.GetProperty("gridCode").GetString() == grid)
            .Select(p => (JsonElement?)p).FirstOrDefault();
    }

    private static (RegionNode, RegionNode) TwoNeighbouringGridsOf(RegionNode district)
    {
        var grids = Flatten(district).Where(n => n.Level == RegionLevel.Grid).ToList();
        foreach (var a in grids)
        {
            foreach (var b in grids)
            {
                if (a != b && a.Geometry.Touches(b.Geometry)) return (a, b);
            }
        }
        throw new InvalidOperationException("The test city has no neighbouring grids.");
    }

    private static IEnumerable<RegionNode> Flatten(RegionNode n) => n.Children.SelectMany(Flatten).Prepend(n);

    private static string Lat(RegionNode grid) => grid.Geometry.InteriorPoint.Y.ToString("F7", CultureInfo.InvariantCulture);

    private static string Lon(RegionNode grid) => grid.Geometry.InteriorPoint.X.ToString("F7", CultureInfo.InvariantCulture);

    private static string Fix(RegionNode grid, long ts) =>
        $$"""{"lat":{{Lat(grid)}},"lon":{{Lon(grid)}},"acc":5,"spd":1.2,"hdg":90,"bat":80,"ts":{{ts}}}""";

    private async Task PublishAsync(string protocol, string worker, string password, string kind, string payload)
    {
        var info = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", silo.MqttPort.ToString(CultureInfo.InvariantCulture), "-V", protocol,
                     "-i", $"{worker}-{kind}", "-u", worker, "-P", password, "-q", "1", "-t", $"gridgov/v1/terminals/{worker}/{kind}", "-m", payload })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(limit.Token);
        // mosquitto_pub exits 0 only after the QoS 1 PUBACK: the fix is durable by then.
        Assert.True(process.ExitCode == 0, $"mosquitto_pub failed ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
    }
}
