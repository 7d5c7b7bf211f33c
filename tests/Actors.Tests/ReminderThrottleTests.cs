using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Actors.Tests.Grains;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Realtime.Actors.Tests;

public sealed class ReminderThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_burst_of_due_reminders_is_delivered_no_more_than_the_in_flight_limit_at_a_time()
    {
        var latch = new ReminderLatch();
        await using var host = await TestHosts.InMemory(new FakeTimeProvider(T0), o => o.MaxRemindersInFlight = 2, s => s.AddSingleton(latch));
        var reminders = host.Runtime().Reminders;
        for (var i = 0; i < 5; i++) await host.Grains.GetGrain<ILatchedReminderGrain>($"g{i}").RemindOnce(TimeSpan.FromMinutes(1));

        host.Time.Advance(TimeSpan.FromMinutes(1));
        await latch.WhenEntered(2).Within();
        // The other three are due but wait for the two in flight to settle, whatever the clock does.
        host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal((2, 2, 5), (reminders.InFlight, latch.Entered.Count, reminders.Count));

        latch.Open();
        await reminders.WhenSettledAsync().Within();
        host.Time.Advance(TimeSpan.Zero);
        await latch.WhenEntered(4).Within();
        await reminders.WhenSettledAsync().Within();
        host.Time.Advance(TimeSpan.Zero);
        await latch.WhenEntered(5).Within();
        await reminders.WhenSettledAsync().Within();

        Assert.Equal(["g0", "g1", "g2", "g3", "g4"], latch.Entered.Order());
        Assert.Equal((0, 0), (reminders.InFlight, reminders.Count));
    }

    [Fact]
    public async Task Reminders_below_the_in_flight_limit_fire_on_their_due_time_without_waiting()
    {
        var latch = new ReminderLatch();
        await using var host = await TestHosts.InMemory(new FakeTimeProvider(T0), o => o.MaxRemindersInFlight = 2, s => s.AddSingleton(latch));
        await host.Grains.GetGrain<ILatchedReminderGrain>("early").RemindOnce(TimeSpan.FromMinutes(1));
        await host.Grains.GetGrain<ILatchedReminderGrain>("late").RemindOnce(TimeSpan.FromMinutes(2));

        host.Time.Advance(TimeSpan.FromMinutes(1));
        await latch.WhenEntered(1).Within();
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await latch.WhenEntered(2).Within();
        Assert.Equal(2, host.Runtime().Reminders.InFlight);
        latch.Open();
        await host.Runtime().Reminders.WhenSettledAsync().Within();
    }

    [Fact]
    public void An_in_flight_limit_below_one_is_refused_naming_the_setting()
    {
        var result = new ActorRuntimeOptionsValidator().Validate(null, new ActorRuntimeOptions { MaxRemindersInFlight = 0 });
        Assert.True(result.Failed);
        Assert.Contains("Actors:MaxRemindersInFlight", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new ActorRuntimeOptionsValidator().Validate(null, new ActorRuntimeOptions()).Succeeded);
    }
}
