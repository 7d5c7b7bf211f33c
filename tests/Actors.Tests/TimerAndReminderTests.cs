using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;

namespace GridGov.Realtime.Actors.Tests;

public sealed class TimerAndReminderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ATimerTicksOnFakeTimeAsTurnsAndStopsWhenDisposed()
    {
        await using var host = await TestHosts.InMemory();
        var clock = host.Grains.GetGrain<IClockGrain>("t");
        await clock.StartTimer(TimeSpan.FromSeconds(5));

        host.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await clock.TimerTicks());
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(5));
            await clock.TimerTicks(); // queued behind the tick: returns once the tick's turn is done
        }
        Assert.Equal(3, await clock.TimerTicks());
        Assert.Equal(1, await clock.MaxConcurrency());

        await clock.StopTimer();
        host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, await clock.TimerTicks());
    }

    [Fact]
    public async Task AOneShotReminderFiresOnceAtItsDueTime()
    {
        await using var host = await TestHosts.InMemory(new FakeTimeProvider(T0));
        var clock = host.Grains.GetGrain<IClockGrain>("r");
        await clock.RemindOnce("deadline", TimeSpan.FromMinutes(10));

        host.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(await clock.Fired());
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["deadline@01:10:00"], await clock.Fired());
        host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Single(await clock.Fired());
    }

    [Fact]
    public async Task APeriodicReminderFiresOnItsPeriodUntilUnregistered()
    {
        await using var host = await TestHosts.InMemory(new FakeTimeProvider(T0));
        var clock = host.Grains.GetGrain<IClockGrain>("p");
        await clock.RemindEvery("sweep", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(i == 0 ? 1 : 5));
            await clock.Fired();
        }
        Assert.Equal(["sweep@01:01:00", "sweep@01:06:00", "sweep@01:11:00"], await clock.Fired());
        await clock.Forget("sweep");
        host.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(3, (await clock.Fired()).Count);
    }

    [Fact]
    public async Task AReminderFiresEvenWhenItsGrainWasCollected()
    {
        await using var host = await TestHosts.InMemory(new FakeTimeProvider(T0), o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(1);
            o.CollectionQuantum = TimeSpan.FromMinutes(1);
        });
        var clock = host.Grains.GetGrain<IClockGrain>("sleeper");
        await clock.RemindOnce("wake", TimeSpan.FromHours(1));
        var activation = Assert.Single(host.Runtime().Activations);
        host.Time.Advance(TimeSpan.FromMinutes(30));
        await activation.Deactivated.Within();
        Assert.Equal(0, host.Runtime().ActivationCount);
        host.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(["wake@02:00:00"], await clock.Fired());
    }

    [Fact]
    public async Task ReminderPeriodsBelowOneSecondAreRefused()
    {
        await using var host = await TestHosts.InMemory();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            host.Grains.GetGrain<IClockGrain>("fast").RemindEvery("x", TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task AFailedOneShotReminderIsDeliveredAgain()
    {
        await using var host = await TestHosts.InMemory(new FakeTimeProvider(T0), o => o.ReminderRetryDelay = TimeSpan.FromSeconds(5));
        var clock = host.Grains.GetGrain<IClockGrain>("retry");
        await clock.FailNextReminder();
        await clock.RemindOnce("deadline", TimeSpan.FromMinutes(1));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await clock.Fired());
        // The retry is armed once the failed delivery has been reported back to the reminder service.
        await host.Runtime().Reminders.WhenSettledAsync().Within();
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["deadline@01:01:05"], await clock.Fired());
    }

    [Fact]
    public async Task RemindersSurviveARestartAndMissedOnesFireAtStart()
    {
        using var dir = new TempDirectory();
        await using (var first = await TestHosts.Sqlite(dir.Path, new FakeTimeProvider(T0)))
        {
            await first.Grains.GetGrain<IClockGrain>("a").RemindOnce("deadline", TimeSpan.FromMinutes(10));
            await first.Grains.GetGrain<IClockGrain>("b").RemindEvery("patrol", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
        }

        // Down for 20 minutes: the one-shot and the periodic reminder both came due meanwhile.
        await using var second = await TestHosts.Sqlite(dir.Path, new FakeTimeProvider(T0.AddMinutes(20)));
        second.Time.Advance(TimeSpan.Zero);
        Assert.Equal(["deadline@01:20:00"], await second.Grains.GetGrain<IClockGrain>("a").Fired());
        Assert.Equal(["patrol@01:20:00"], await second.Grains.GetGrain<IClockGrain>("b").Fired());
        second.Time.Advance(TimeSpan.FromMinutes(11)); // back on the period grid: 01:01 + 2×15 = 01:31
        Assert.Equal(["patrol@01:20:00", "patrol@01:31:00"], await second.Grains.GetGrain<IClockGrain>("b").Fired());
    }

    [Fact]
    public async Task AHandledOneShotReminderIsGoneAfterRestart()
    {
        using var dir = new TempDirectory();
        await using (var first = await TestHosts.Sqlite(dir.Path, new FakeTimeProvider(T0)))
        {
            var a = first.Grains.GetGrain<IClockGrain>("a");
            await a.RemindOnce("deadline", TimeSpan.FromMinutes(10));
            first.Time.Advance(TimeSpan.FromMinutes(10));
            Assert.Single(await a.Fired());
        }
        await using var second = await TestHosts.Sqlite(dir.Path, new FakeTimeProvider(T0.AddHours(1)));
        second.Time.Advance(TimeSpan.Zero);
        Assert.Single(await second.Grains.GetGrain<IClockGrain>("a").Fired());
    }

}
