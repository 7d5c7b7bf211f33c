using Microsoft.Extensions.Configuration;
using GridGov.Realtime.Grains.Calendar;

namespace GridGov.Realtime.Grains.Tests.Calendar;

public class WorkingCalendarOptionsTests
{
    [Fact]
    public void DefaultsAreValidAndBeijingTime()
    {
        Assert.Empty(WorkingCalendarOptionsValidator.Errors(new WorkingCalendarOptions()));

        var calendar = WorkingCalendar.Create(new WorkingCalendarOptions());

        Assert.Equal(TimeSpan.FromHours(8), calendar.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 3, 2)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 3, 7)));
    }

    [Theory]
    [InlineData("08:30-12:00,11:30-17:30", "overlap")]
    [InlineData("12:00-08:30", "ends before")]
    [InlineData("8.30-12", "not a period")]
    public void BadPeriodsAreReportedPerDay(string monday, string expected)
    {
        var errors = WorkingCalendarOptionsValidator.Errors(new WorkingCalendarOptions { Monday = monday });

        var error = Assert.Single(errors);
        Assert.StartsWith("Monday:", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DateBothHolidayAndMakeUpDayIsAnError()
    {
        var options = new WorkingCalendarOptions { Holidays = [new DateOnly(2026, 3, 7)], MakeUpWorkingDays = [new DateOnly(2026, 3, 7)] };

        Assert.Contains("2026-03-07 is listed both as a holiday and as a make-up working day.", WorkingCalendarOptionsValidator.Errors(options));
    }

    [Fact]
    public void MakeUpDayOnAWorkingWeekdayIsAnError()
    {
        var options = new WorkingCalendarOptions { MakeUpWorkingDays = [new DateOnly(2026, 3, 2)] };

        Assert.Contains("already a working Monday", Assert.Single(WorkingCalendarOptionsValidator.Errors(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var options = new WorkingCalendarOptions
        {
            TimeZoneId = "Mars/Olympus_Mons",
            Monday = "", Tuesday = "", Wednesday = "", Thursday = "", Friday = "",
            MakeUpDayPeriods = "",
            MakeUpWorkingDays = [new DateOnly(2026, 3, 7)],
        };

        var errors = WorkingCalendarOptionsValidator.Errors(options);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("not a known time zone", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("No weekday has working periods", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MakeUpDayPeriods is empty", StringComparison.Ordinal));
        var thrown = Assert.Throws<ArgumentException>(() => WorkingCalendar.Create(options));
        Assert.Contains("Mars/Olympus_Mons", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidatorPlugsIntoOptionsValidation()
    {
        var result = new WorkingCalendarOptionsValidator().Validate(null, new WorkingCalendarOptions { Friday = "09:00-08:00" });

        Assert.True(result.Failed);
        Assert.Contains("Friday", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SaturdayHalfDayCountsAsAWholeWorkingDay()
    {
        var calendar = WorkingCalendar.Create(new WorkingCalendarOptions { Saturday = "09:00-12:00" });
        var friday10 = new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.FromHours(8));

        // 1 工作日 from Friday 10:00 (0.8 of Friday left) needs 0.2 of Saturday's 3 h = 36 min → 09:36.
        Assert.Equal(friday10.AddDays(1).AddMinutes(-24), calendar.Deadline(friday10, new TimeLimit(1, TimeUnit.WorkingDays)));
    }

    [Fact]
    public void FallbackZoneIsFixedUtcPlusEight() =>
        Assert.Equal(TimeSpan.FromHours(8), CalendarTimeZones.FixedChinaStandardTime.BaseUtcOffset);
}

public class WorkingCalendarOptionsBindingTests
{
    [Fact]
    public void BindsFromConfigurationReplacingDefaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WorkingCalendar:Friday"] = "08:30-12:00",
                ["WorkingCalendar:Holidays:0"] = "2026-10-01",
                ["WorkingCalendar:MakeUpWorkingDays:0"] = "2026-09-27",
            })
            .Build();
        var options = new WorkingCalendarOptions();

        configuration.GetSection(WorkingCalendarOptions.SectionName).Bind(options);
        var calendar = WorkingCalendar.Create(options);

        Assert.Equal("08:30-12:00", options.Friday);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 9, 27)));
        Assert.Equal(WorkingCalendarOptions.DefaultWeekdayPeriods, options.Monday);
    }
}
