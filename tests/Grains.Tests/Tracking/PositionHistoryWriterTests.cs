using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Tracking;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;

namespace GridGov.Realtime.Grains.Tests.Tracking;

public sealed class PositionHistoryWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private async Task<SqliteDatabase> OpenDatabaseAsync()
    {
        var db = new SqliteDatabase(Options.Create(new SqliteStorageOptions { DataDirectory = _dir.Path }), [PositionHistoryWriter.Migration], NullLogger<SqliteDatabase>.Instance);
        await db.InitializeAsync(TestContext.Current.CancellationToken);
        return db;
    }

    private PositionHistoryWriter Writer(SqliteDatabase db, PositionHistoryOptions? options = null) => new(
        db, Options.Create(options ?? new PositionHistoryOptions { FlushInterval = TimeSpan.Zero }), _time,
        new TrackingMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
        NullLogger<PositionHistoryWriter>.Instance);

    private PositionFix Fix(int i, TimeSpan? age = null) =>
        new(31.2 + i * 1e-5, 121.4, 5, 1, 90, 80, (_time.GetUtcNow() - (age ?? TimeSpan.Zero)).ToUnixTimeMilliseconds() + i);

    [Fact]
    public async Task AppendsCompleteOnlyAfterCommitAndQueuedAppendsShareOneTransaction()
    {
        await using var db = await OpenDatabaseAsync();
        await using var writer = Writer(db);
        var appends = Enumerable.Range(0, 3).Select(i => writer.AppendAsync($"w{i}", [Fix(0), Fix(1)], ["g", null])).ToArray();
        Assert.All(appends, a => Assert.False(a.IsCompleted)); // the writer is not running: nothing committed, nothing acknowledged

        await writer.StartAsync(TestContext.Current.CancellationToken);
        await Task.WhenAll(appends).Within();
        Assert.Equal(1, writer.Transactions);
        var rows = await writer.ReadAsync("w1", _time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow().AddMinutes(1), 10, TestContext.Current.CancellationToken);
        Assert.Equal([Fix(0), Fix(1)], rows.Select(r => r.Fix));
        Assert.Equal(["g", null], rows.Select(r => r.GridCode));
    }

    [Fact]
    public async Task RowsSurviveARestart()
    {
        await using (var db = await OpenDatabaseAsync())
        {
            await using var writer = Writer(db);
            await writer.StartAsync(TestContext.Current.CancellationToken);
            await writer.AppendAsync("w1", [Fix(0), Fix(1), Fix(2)], [null, null, null]).Within();
        }
        await using var reopened = await OpenDatabaseAsync();
        await using var again = Writer(reopened);
        var rows = await again.ReadAsync("w1", _time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow().AddMinutes(1), 10, TestContext.Current.CancellationToken);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task RetentionDeletesOnlyExpiredRowsInSmallBatches()
    {
        await using var db = await OpenDatabaseAsync();
        await using var writer = Writer(db, new PositionHistoryOptions { FlushInterval = TimeSpan.Zero, RetentionDays = 30, RetentionDeleteBatch = 2 });
        await writer.StartAsync(TestContext.Current.CancellationToken);
        var old = Enumerable.Range(0, 5).Select(i => Fix(i, TimeSpan.FromDays(31))).ToArray();
        await writer.AppendAsync("w1", old, new string?[5]).Within();
        await writer.AppendAsync("w1", [Fix(0)], [null]).Within();

        Assert.Equal(5, await writer.PurgeExpiredAsync());
        var rows = await writer.ReadAsync("w1", _time.GetUtcNow().AddDays(-60), _time.GetUtcNow().AddDays(1), 100, TestContext.Current.CancellationToken);
        Assert.Equal([Fix(0)], rows.Select(r => r.Fix));
    }
}
