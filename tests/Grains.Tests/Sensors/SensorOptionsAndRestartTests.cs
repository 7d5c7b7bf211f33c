using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Sensors;
using GridGov.Realtime.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tests.Sensors;

public sealed class SensorOptionsAndRestartTests
{
    private static ValidateOptionsResult Validate(Action<SensorEventRulesOptions> change)
    {
        var o = new SensorEventRulesOptions();
        change(o);
        return new SensorEventRulesOptionsValidator(DefaultCategoryCatalog.Instance).Validate(null, o);
    }

    [Fact]
    public void The_defaults_are_valid_against_the_default_catalogue()
    {
        Assert.True(Validate(_ => { }).Succeeded);
        var o = new SensorEventRulesOptions();
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)), (o.DefaultDedupWindowLength, o.HeartbeatTimeout));
        Assert.True(o.RuleFor(SensorEventTypes.ManholeCoverOpen).OpensCases);
        Assert.False(o.RuleFor(SensorEventTypes.Smoke).OpensCases);
        Assert.False(o.RuleFor("unheard_of").OpensCases);
    }

    [Theory]
    [InlineData("category", "no Event category 0999")]
    [InlineData("urgency", "does not admit urgency")]
    [InlineData("severity", "CaseMinSeverity must be within 1–5")]
    [InlineData("kind", "needs CaseKind")]
    [InlineData("window", "DedupWindow must be positive")]
    [InlineData("type", "an event type is")]
    [InlineData("timeout", "HeartbeatTimeout must be positive")]
    public void Bad_rules_fail_with_a_message_naming_the_setting(string what, string expected)
    {
        var result = Validate(o =>
        {
            var rule = o.Events[SensorEventTypes.Waterlogging];
            switch (what)
            {
                case "category": rule.CategoryCode = "0999"; break;
                case "urgency": rule.Urgency = Urgency.Urgent; break; // 0104 admits Normal only
                case "severity": rule.CaseMinSeverity = 9; break;
                case "kind": rule.CaseKind = null; break;
                case "window": rule.DedupWindow = TimeSpan.Zero; break;
                case "type": o.Events["Bad Type"] = new SensorEventRule(); break;
                case "timeout": o.HeartbeatTimeout = TimeSpan.Zero; break;
            }
        });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_overrides_a_default_rule_field_by_field_and_adds_types()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sensors:HeartbeatTimeout"] = "00:02:00",
            ["Sensors:Events:smoke:CaseMinSeverity"] = "4",
            ["Sensors:Events:smoke:CaseKind"] = "Event",
            ["Sensors:Events:smoke:CategoryCode"] = "0505",
            ["Sensors:Events:manhole_cover_open:DedupWindow"] = "00:30:00",
            ["Sensors:Events:street_light_out:AlertSeverity"] = "Info",
        }).Build();
        var services = new ServiceCollection();
        services.AddOptions<SensorEventRulesOptions>().Bind(config.GetSection(SensorEventRulesOptions.SectionName));
        var o = services.BuildServiceProvider().GetRequiredService<IOptions<SensorEventRulesOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(2), o.HeartbeatTimeout);
        Assert.Equal((4, "0505"), (o.Events["smoke"].CaseMinSeverity, o.Events["smoke"].CategoryCode));
        var manhole = o.Events[SensorEventTypes.ManholeCoverOpen];
        Assert.Equal((TimeSpan.FromMinutes(30), "0101", Urgency.Urgent), (manhole.DedupWindow, manhole.CategoryCode, manhole.Urgency));
        Assert.Equal(AlertSeverity.Info, o.Events["street_light_out"].AlertSeverity);
        Assert.True(new SensorEventRulesOptionsValidator(DefaultCategoryCatalog.Instance).Validate(null, o).Succeeded);
    }

    [Fact]
    public async Task A_bad_category_fails_the_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            SensorFixture.StartAsync(o => o.Events[SensorEventTypes.Smoke] = new SensorEventRule { CaseMinSeverity = 3, CaseKind = CaseKind.Event, CategoryCode = "0999" }));
        Assert.Contains("0999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_window_survives_a_restart_so_a_redelivered_event_still_makes_one_case()
    {
        using var dir = new TempDirectory();
        SensorEvent e;
        string caseId;
        await using (var f = await SensorFixture.StartAsync(sqliteDirectory: dir.Path))
        {
            e = f.Event();
            caseId = Assert.Single((await f.ReportAsync(e)).Windows).CaseId!;
        }
        await using (var f = await SensorFixture.StartAsync(sqliteDirectory: dir.Path, start: SensorFixture.Start.AddMinutes(1)))
        {
            var snap = await f.ReportAsync(e);
            var window = Assert.Single(snap.Windows);
            Assert.Equal((caseId, 1), (window.CaseId, window.Count));

            f.Time.Advance(TimeSpan.FromMinutes(1));
            snap = await f.ReportAsync(f.Event());
            Assert.Equal((caseId, 2), (snap.Windows[0].CaseId, snap.Windows[0].Count));
            Assert.Single(await f.Cases.ListCaseIdsAsync("", 10));
        }
    }
}
