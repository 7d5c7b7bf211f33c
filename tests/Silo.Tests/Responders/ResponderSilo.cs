using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GridGov.Realtime.Edge;
using GridGov.Realtime.Edge.Hooks;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Responders;
using GridGov.Realtime.Silo.Responders;
using GridGov.Realtime.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Silo.Tests.Responders;

/// <summary>
/// The real host on Kestrel (HTTP and MQTT on loopback ports) on fake time, with the demo city installed and the
/// responder notifier wrapped so tests can wait until an escalation has been handed to the broker.
/// </summary>
public sealed class ResponderSilo : IAsyncDisposable
{
    public const string Password = "a-long-enough-password";
    public static readonly TimeSpan AckTimeout = TimeSpan.FromMinutes(2);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SiloFactory _silo;
    private readonly WebApplicationFactory<Program> _host;
    private readonly List<HttpClient> _clients = [];

    private ResponderSilo(SiloFactory silo, WebApplicationFactory<Program> host, int httpPort, FakeTimeProvider time, SignallingNotifier sent)
    {
        _silo = silo;
        _host = host;
        HttpPort = httpPort;
        Time = time;
        Sent = sent;
        MqttPort = host.Services.GetRequiredService<EdgeEndpoints>().Get("tcp")!.Port;
    }

    public int HttpPort { get; }
    public int MqttPort { get; }
    public FakeTimeProvider Time { get; }
    public SignallingNotifier Sent { get; }
    public IServiceProvider Services => _host.Services;
    public HttpClient Admin { get; private set; } = null!;
    public DemoCity Demo { get; } = DemoCity.Create();

    public RegionNode District(int i) => Demo.City.Tree.Find($"31010{i}")!;

    public RegionNode Street(int district, int street) => District(district).Children[street];

    /// <summary>
    /// Starts with the demo city installed, on a fresh data directory or on <paramref name="dataDirectory"/> (which the
    /// caller owns); with <paramref name="restart"/> on that directory as a previous host left it, installing nothing.
    /// </summary>
    public static async Task<ResponderSilo> StartAsync(string? dataDirectory = null, FakeTimeProvider? clock = null, bool restart = false)
    {
        var httpPort = FreePort();
        var time = clock ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sent = new SignallingNotifier();
        var silo = new SiloFactory(new()
        {
            ["Silo:HttpAddress"] = "127.0.0.1",
            ["Silo:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["Edge:ListenAddress"] = "127.0.0.1",
            ["Edge:TcpPort"] = "0",
            ["Edge:ConnectionsPerSecondPerAddress"] = "0",
            ["Escalations:AckTimeout"] = AckTimeout.ToString(),
        }, dataDirectory);
        var host = silo.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IResponderNotifier>(sp => sent.Wrap(new MqttResponderNotifier(sp.GetRequiredService<IEdgePublisher>())));
        }));
        host.UseKestrel();
        host.StartServer();
        var harness = new ResponderSilo(silo, host, httpPort, time, sent);
        harness.Admin = await harness.LoginAsync("admin", SiloFactory.AdminPassword);
        if (!restart) await harness.Demo.InstallAsync(host.Services.GetRequiredService<DirectoryImportService>(), Ct);
        return harness;
    }

    /// <summary>Creates a user and returns a client carrying their token.</summary>
    public async Task<HttpClient> UserAsync(string name, string role, string scope)
    {
        using var created = await Admin.PostAsJsonAsync("/api/users", new { username = name, password = Password, role, region_scope = scope }, Ct);
        created.EnsureSuccessStatusCode();
        return await LoginAsync(name, Password);
    }

    public async Task<HttpResponseMessage> PutRosterAsync(HttpClient client, string code, params string[] responders) =>
        await client.PutAsJsonAsync($"/api/regions/{code}/on-call", new { responders }, Ct);

    /// <summary>Opens an escalation in <paramref name="region"/> the way the SOS trigger does and waits until it went to <paramref name="responder"/>.</summary>
    public async Task<EscalationNotice> EscalateAsync(RegionNode region, string subjectId, string responder)
    {
        var grains = Services.GetRequiredService<GridGov.Realtime.Actors.IGrainFactory>();
        await grains.GetGrain<IEscalationGrain>(EscalationKinds.IdOf(EscalationKinds.Alert, subjectId))
            .Start(new EscalationSubject(EscalationKinds.Alert, subjectId, "sos", $"SOS {subjectId}", region.Code, "Critical", null, null, Time.GetUtcNow()));
        return await Sent.WaitAsync(responder, EscalationKinds.IdOf(EscalationKinds.Alert, subjectId));
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

    public async Task<HttpClient> LoginAsync(string name, string password = Password)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
        using var token = await client.PostAsJsonAsync("/api/auth/token", new { username = name, password }, Ct);
        token.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await JsonOf(token)).GetProperty("access_token").GetString());
        _clients.Add(client);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        await _host.DisposeAsync();
        await _silo.DisposeAsync();
    }
}

/// <summary>Passes escalations on to the real MQTT notifier and signals each one, so tests wait on it instead of polling.</summary>
public sealed class SignallingNotifier
{
    private readonly Lock _gate = new();
    private readonly List<(string Responder, EscalationNotice Notice)> _sent = [];

    private readonly List<(Func<string, EscalationNotice, bool> Match, TaskCompletionSource<(string, EscalationNotice)> Signal)> _matchers = [];

    internal IResponderNotifier Wrap(IResponderNotifier inner) => new Wrapper(this, inner);

    /// <summary>Waits until escalation <paramref name="escalationId"/> (any when null) was handed to the broker for <paramref name="responder"/>.</summary>
    public async Task<EscalationNotice> WaitAsync(string responder, string? escalationId = null)
    {
        Task<(string, EscalationNotice)> wait;
        lock (_gate)
        {
            bool Match(string r, EscalationNotice n) => r == responder && (escalationId is null || n.EscalationId == escalationId);
            foreach (var (r, n) in _sent) if (Match(r, n)) return n;
            var signal = new TaskCompletionSource<(string, EscalationNotice)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _matchers.Add((Match, signal));
            wait = signal.Task;
        }
        return (await wait.Within()).Item2;
    }

    private void Record(string responder, EscalationNotice notice)
    {
        lock (_gate)
        {
            _sent.Add((responder, notice));
            foreach (var m in _matchers.Where(m => m.Match(responder, notice)).ToList())
            {
                m.Signal.TrySetResult((responder, notice));
                _matchers.Remove(m);
            }
        }
    }

    private sealed class Wrapper(SignallingNotifier owner, IResponderNotifier inner) : IResponderNotifier
    {
        public async ValueTask NotifyAsync(string responder, EscalationNotice notice, CancellationToken cancellationToken = default)
        {
            await inner.NotifyAsync(responder, notice, cancellationToken);
            owner.Record(responder, notice);
        }
    }
}
