using System.Diagnostics.Metrics;
using GridGov.Realtime.Dashboard.Feed;
using GridGov.Realtime.Dashboard.Hosting;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

/// <summary>A started <see cref="LiveFeed"/> on fake time, sending into a <see cref="RecordingHubContext"/>.</summary>
public sealed class FeedHarness : IAsyncDisposable
{
    public const string City = "310100";
    public const string DistrictA = "310104";
    public const string StreetA = "310104001";
    public const string CommunityA = "310104001001";
    public const string GridA = "310104001001001";
    public const string DistrictB = "310105";
    public const string GridB = "310105002003004";

    private int _connections;

    public FeedHarness(Action<DashboardOptions>? configure = null, bool start = true)
    {
        var options = new DashboardOptions();
        configure?.Invoke(options);
        Metrics = new DashboardMetrics(new TestMeterFactory(), Subscriptions);
        Feed = new LiveFeed(Hub, Subscriptions, Metrics, Options.Create(options), Time, NullLogger<LiveFeed>.Instance);
        if (start) Feed.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public FakeTimeProvider Time { get; } = new();
    public RecordingHubContext Hub { get; } = new();
    public FeedSubscriptions Subscriptions { get; } = new();
    public DashboardMetrics Metrics { get; }
    public LiveFeed Feed { get; }
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A new connection subscribed to <paramref name="scope"/>; returns its id.</summary>
    public string Subscribe(string scope)
    {
        var id = $"c{++_connections}";
        Subscriptions.Add(id, scope);
        return id;
    }

    public static IReadOnlyList<string> ScopesOf(string grid) =>
        grid.StartsWith(DistrictA, StringComparison.Ordinal) ? [grid, CommunityA, StreetA, DistrictA, City] : [grid, DistrictB, City];

    public WorkerPositionUpdate Fix(string worker, double lat, string grid = GridA) =>
        new(worker, grid, ScopesOf(grid), lat, 121.47, 5, 1.2, 90, 80, WorkerStatus.OnDuty, Now);

    public AlertUpdate Alert(string id, string grid = GridA) =>
        new(id, "w1", "sos", AlertSeverity.Critical, true, ScopesOf(grid), grid, 31.2, 121.47, "help", Now);

    public ValueTask DisposeAsync() => Feed.DisposeAsync();

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];
        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, this);
            _meters.Add(meter);
            return meter;
        }
        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
