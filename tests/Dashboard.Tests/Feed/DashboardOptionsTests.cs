using GridGov.Realtime.Dashboard.Hosting;

namespace GridGov.Realtime.Dashboard.Tests.Feed;

public sealed class DashboardOptionsTests
{
    [Fact]
    public void DefaultsAreValid() =>
        Assert.True(new DashboardOptionsValidator().Validate(null, new DashboardOptions()).Succeeded);

    [Theory]
    [InlineData("00:00:00.001", "", "PositionInterval")]
    [InlineData("00:00:00.250", "ftp://tiles.example/{z}/{x}/{y}.png", "BaseMapUrl")]
    [InlineData("00:00:00.250", "tiles/{z}/{x}/{y}.png", "BaseMapUrl")]
    public void BadSettingsAreNamedAtStartUp(string interval, string baseMap, string setting)
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions
        {
            PositionInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture),
            BaseMapUrl = baseMap,
        });
        Assert.Contains($"Dashboard:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ATileTemplateIsAccepted() =>
        Assert.True(new DashboardOptionsValidator().Validate(null, new DashboardOptions { BaseMapUrl = "https://tiles.city.example/{z}/{x}/{y}.png" }).Succeeded);
}
