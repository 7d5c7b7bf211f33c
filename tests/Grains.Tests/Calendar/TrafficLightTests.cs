using GridGov.Realtime.Grains.Calendar;
using static GridGov.Realtime.Grains.Tests.Calendar.CalendarFixtures;

namespace GridGov.Realtime.Grains.Tests.Calendar;

public class TrafficLightTests
{
    [Theory]
    [InlineData("0", TrafficLight.Green)]
    [InlineData("7.9999", TrafficLight.Green)]
    [InlineData("8", TrafficLight.Yellow)]      // exactly 80 %: yellow (DOMAIN.md §4 "green below 80%")
    [InlineData("9.9999", TrafficLight.Yellow)]
    [InlineData("10", TrafficLight.Yellow)]     // exactly 100 %: due now, not yet overdue
    [InlineData("10.0001", TrafficLight.Red)]
    public void BoundariesOfATenHourLimit(string consumed, TrafficLight expected)
    {
        Assert.Equal(expected, TrafficLightRule.Classify(decimal.Parse(consumed, System.Globalization.CultureInfo.InvariantCulture), 10m));
    }

    [Fact]
    public void LightFromTheCalendarAtTheExactBoundaries()
    {
        // 5 工作时 from 08:30: 08:30→12:00 is 3.5 h, so 80 % (4 h) is reached at 14:00 and 100 % (5 h) at 15:00.
        var start = At(3, 2, 8, 30);
        var limit = WorkingHours(5);

        Assert.Equal(TrafficLight.Green, Default.Light(start, At(3, 2, 13, 59), limit));
        Assert.Equal(TrafficLight.Yellow, Default.Light(start, At(3, 2, 14, 0), limit));
        Assert.Equal(TrafficLight.Yellow, Default.Light(start, At(3, 2, 15, 0), limit));
        Assert.Equal(TrafficLight.Red, Default.Light(start, At(3, 2, 15, 1), limit));
        // A full day's 7.5 工作时 is used up at 17:30; overnight nothing accrues, so it is still
        // exactly 100 % (yellow) at 08:00 and turns red only once the office opens.
        var fullDay = WorkingHours(7.5m);
        Assert.Equal(TrafficLight.Yellow, Default.Light(start, At(3, 3, 8, 0), fullDay));
        Assert.Equal(TrafficLight.Red, Default.Light(start, At(3, 3, 8, 31), fullDay));
    }

    [Fact]
    public void ThirdsDoNotFlipOnRoundingError()
    {
        // 10 min is 1/6 h, not a finite decimal; 8 of 10 minutes must still be exactly 80 %.
        var limit = TimeLimit.FromMinutes(10, TimeUnit.EmergencyHours);

        Assert.Equal(TrafficLight.Yellow, Default.Light(At(3, 2, 9, 0), At(3, 2, 9, 8), limit));
        Assert.Equal(TrafficLight.Green, Default.Light(At(3, 2, 9, 0), At(3, 2, 9, 7), limit));
    }
}
