using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.Silo.Auth;
using GridGov.Realtime.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Demo;

/// <summary>
/// <c>--demo</c>: installs a small city (a few districts, hundreds of grids, a few hundred workers) if the
/// server has none, gives each worker an account, and drives one simulated terminal per worker over real
/// MQTT to the server's own broker, walking its grids, with the occasional SOS and lost connection, so a
/// newcomer sees live movement on the command-centre page at once.
/// </summary>
internal sealed partial class DemoSimulator(
    IOptions<DemoOptions> options,
    IOptions<SiloOptions> silo,
    IHostApplicationLifetime lifetime,
    IRegionDirectory regions,
    WorkerDirectory workers,
    DirectoryImportService imports,
    UserAccountService accounts,
    IGrainFactory grains,
    EdgeEndpoints edge,
    TimeProvider time,
    ILogger<DemoSimulator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        await WhenStartedAsync(stoppingToken);
        if (regions.Tree is null || regions.Tree.Grids.Count == 0)
        {
            LogInstalling(logger);
            await DemoCity.Create().InstallAsync(imports, stoppingToken);
        }
        if (edge.Get("tcp") is not { } broker)
        {
            LogNoBroker(logger);
            return;
        }
        var password = DemoPassword();
        await EnsureOnCallAsync(password, stoppingToken);
        var random = new Random(options.Value.Seed);
        var fleet = workers.Workers.Where(w => w.Active && w.Role == WorkerRoles.GridWorker && w.AssignedGrids.Count > 0).ToList();
        LogStarting(logger, fleet.Count, broker.Port);
        var runs = new List<Task>(fleet.Count);
        foreach (var worker in fleet)
        {
            // Accounts are created one by one (password hashing is deliberately slow); each terminal starts when its account exists.
            await EnsureAccountAsync(worker, password, stoppingToken);
            var grids = worker.AssignedGrids.Select(regions.Find).Where(n => n is not null).Select(n => n!.Geometry).ToList();
            if (grids.Count == 0) continue;
            var walker = new WalkingTerminal(worker.WorkerId, grids, new Random(random.Next()));
            runs.Add(RunTerminalAsync(walker, new IPEndPoint(IPAddress.Loopback, broker.Port), password, new Random(random.Next()), stoppingToken));
        }
        await Task.WhenAll(runs);
    }

    private async Task RunTerminalAsync(WalkingTerminal walker, EndPoint broker, string password, Random random, CancellationToken stoppingToken)
    {
        var o = options.Value;
        await grains.GetGrain<IWorkerGrain>(walker.WorkerId).SetDuty(true);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var client = await MqttTerminalClient.ConnectAsync(broker, $"demo-{walker.WorkerId}", walker.WorkerId, password, will: null, TimeSpan.FromSeconds(60), stoppingToken);
                var topic = $"gridgov/v1/terminals/{walker.WorkerId}/position";
                while (!stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(o.ReportInterval, time, stoppingToken);
                    walker.Step(o.ReportInterval);
                    if (walker.Battery < 12 && random.NextDouble() < 0.01) walker.Recharge();
                    await client.PublishAsync(topic, Fix(walker), stoppingToken);
                    if (random.NextDouble() < o.SosChance)
                    {
                        await client.PublishAsync($"gridgov/v1/terminals/{walker.WorkerId}/sos", Sos(walker), stoppingToken);
                    }
                    if (random.NextDouble() < o.DropChance)
                    {
                        client.Abort(); // lost coverage: the server notices the silence and raises "offline"
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
            {
                LogTerminalTrouble(logger, walker.WorkerId, ex.Message);
            }
            await Task.Delay(o.OfflineFor, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private byte[] Fix(WalkingTerminal w) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"lat":{{w.Lat:F7}},"lon":{{w.Lon:F7}},"acc":5,"spd":{{w.Speed:F2}},"hdg":{{w.Heading:F0}},"bat":{{(int)w.Battery}},"ts":{{time.GetUtcNow().ToUnixTimeMilliseconds()}}}"""));

    private byte[] Sos(WalkingTerminal w) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"lat":{{w.Lat:F7}},"lon":{{w.Lon:F7}},"ts":{{time.GetUtcNow().ToUnixTimeMilliseconds()}},"note":"demo SOS"}"""));

    private async Task EnsureAccountAsync(WorkerProfile worker, string password, CancellationToken cancellationToken)
    {
        var created = await accounts.CreateAsync(worker.WorkerId, password, Roles.GridWorker, worker.RegionCode, cancellationToken);
        if (created.Status is not (UserChangeStatus.Ok or UserChangeStatus.Conflict)) LogAccountRefused(logger, worker.WorkerId, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
    }

    /// <summary>
    /// Two responder accounts on call for every district, so a simulated SOS shows the responder escalation at work: sent
    /// to the first, passed to the second when nobody acknowledges, then left open and flagged at the city. Acknowledge
    /// one on the page's API (POST /api/escalations/{id}/ack) or over MQTT as demo-resp-{district}-1.
    /// </summary>
    private async Task EnsureOnCallAsync(string password, CancellationToken cancellationToken)
    {
        foreach (var district in regions.Tree?.All().Where(n => n.Level == RegionLevel.District) ?? [])
        {
            var responders = new List<string>();
            for (var i = 1; i <= 2; i++)
            {
                var name = $"demo-resp-{district.Code}-{i}";
                var created = await accounts.CreateAsync(name, password, Roles.Responder, district.Code, cancellationToken);
                if (created.Status is UserChangeStatus.Ok or UserChangeStatus.Conflict) responders.Add(name);
                else LogAccountRefused(logger, name, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
            }
            var roster = grains.GetGrain<IOnCallRosterGrain>(district.Code);
            if ((await roster.Get()).Responders.Count == 0) await roster.Set(new SetOnCallRoster(responders, "demo"));
        }
    }

    /// <summary>One password for every simulated terminal, generated once into the data directory (owner-only).</summary>
    private string DemoPassword()
    {
        var path = Path.Combine(silo.Value.DataDirectoryFullPath, "demo-terminal-password");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        File.WriteAllText(path, password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: no city yet, installing the demo city")]
    private static partial void LogInstalling(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: the MQTT TCP listener is off (Edge:TcpPort), so no terminals can be simulated")]
    private static partial void LogNoBroker(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: simulating {Count} terminals over MQTT on port {Port}")]
    private static partial void LogStarting(ILogger logger, int count, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo terminal {WorkerId}: {Problem}; reconnecting later")]
    private static partial void LogTerminalTrouble(ILogger logger, string workerId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: account for {WorkerId} refused: {Errors}")]
    private static partial void LogAccountRefused(ILogger logger, string workerId, string errors);
}
