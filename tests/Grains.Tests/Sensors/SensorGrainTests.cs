using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Sensors;

namespace GridGov.Realtime.Grains.Tests.Sensors;

public sealed class SensorGrainTests
{
    [Fact]
    public async Task An_event_at_case_severity_reports_a_case_in_verifying_at_the_sensors_grid_with_its_media()
    {
        await using var f = await SensorFixture.StartAsync();
        var snap = await f.ReportAsync(f.Event(severity: 4, media: "https://media.example/s1/1.jpg"));

        var window = Assert.Single(snap.Windows);
        Assert.NotNull(window.CaseId);
        var view = await f.CaseAsync(window.CaseId!);
        Assert.Equal(CaseStatus.Verifying, view.Status);
        Assert.Equal((CaseKind.Component, "0101", Urgency.Urgent), (view.Kind, view.CategoryCode, view.Urgency));
        Assert.Equal(SensorFixture.Grid, view.RegionCode);
        Assert.True(view.NeedsVerification);
        Assert.Equal("sensor:s1", view.ReportedBy);
        Assert.NotNull(view.Latitude);
        // The report, then the verification dispatch: nobody is on duty in this fixture, so it waits for the dispatcher.
        var history = await f.HistoryAsync(window.CaseId!);
        Assert.Equal(["reported", "annotated"], history.Select(h => h.Type));
        var reported = history[0];
        Assert.Equal(["https://media.example/s1/1.jpg"], reported.Attachments);
        Assert.Equal(CaseRoles.System, reported.ActorRole);
        Assert.DoesNotContain(f.Feed.Alerts, a => a.Type == SensorAlertTypes.SensorEvent);
    }

    [Fact]
    public async Task A_repeat_within_the_window_annotates_the_same_case_and_after_the_window_a_new_case_opens()
    {
        await using var f = await SensorFixture.StartAsync();
        var first = await f.ReportAsync(f.Event());
        f.Time.Advance(TimeSpan.FromMinutes(4));
        var second = await f.ReportAsync(f.Event(severity: 5));

        var window = Assert.Single(second.Windows);
        Assert.Equal(first.Windows[0].CaseId, window.CaseId);
        Assert.Equal((2, 5), (window.Count, window.MaxSeverity));
        var history = await f.HistoryAsync(window.CaseId!);
        Assert.Equal(["reported", "annotated", "annotated"], history.Select(h => h.Type));
        Assert.Equal(CaseStatus.Verifying, history[2].To);
        Assert.Contains("#2", history[2].Note, StringComparison.Ordinal);

        // The window is a debounce: it ends 10 minutes after the latest event.
        f.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty((await f.Sensor().Get()).Windows);
        var third = await f.ReportAsync(f.Event());
        var next = Assert.Single(third.Windows);
        Assert.NotEqual(window.CaseId, next.CaseId);
        Assert.Equal(1, next.Count);
        Assert.Equal(CaseStatus.Verifying, (await f.CaseAsync(next.CaseId!)).Status);
    }

    [Fact]
    public async Task A_redelivered_event_opens_one_case_and_does_not_count_as_a_repeat()
    {
        await using var f = await SensorFixture.StartAsync();
        var e = f.Event();
        var first = await f.ReportAsync(e);
        f.Time.Advance(TimeSpan.FromSeconds(3));
        var again = await f.ReportAsync(e);

        var window = Assert.Single(again.Windows);
        Assert.Equal(first.Windows[0].CaseId, window.CaseId);
        Assert.Equal(1, window.Count);
        Assert.Single(await f.HistoryAsync(window.CaseId!), h => h.Type == "reported");
        Assert.Single(await f.Cases.ListCaseIdsAsync("", 10));
    }

    [Fact]
    public async Task The_report_request_id_is_derived_from_sensor_type_and_first_event_time()
    {
        var id = SensorGrain.RequestIdFor("s1", "smoke", 1_772_000_000_000);
        Assert.Equal("sensor:s1:smoke:1772000000000", id);
        Assert.Equal(id, SensorGrain.RequestIdFor("s1", "smoke", 1_772_000_000_000));
        var longId = SensorGrain.RequestIdFor(new string('x', 64), "smoke", 1);
        Assert.True(longId.Length <= CaseWorkflow.MaxIdLength);
        Assert.Equal(longId, SensorGrain.RequestIdFor(new string('x', 64), "smoke", 1));
        Assert.NotEqual(longId, SensorGrain.RequestIdFor(new string('x', 64), "smoke", 2));

        // The case grain dedups on it: the same report twice is one event.
        await using var f = await SensorFixture.StartAsync();
        var snap = await f.ReportAsync(f.Event(ts: 1_772_413_200_000));
        var caseId = snap.Windows[0].CaseId!;
        Assert.Equal(SensorGrain.RequestIdFor("s1", SensorEventTypes.ManholeCoverOpen, 1_772_413_200_000), (await f.HistoryAsync(caseId))[0].RequestId);
    }

    [Fact]
    public async Task Below_the_threshold_only_an_alert_is_raised_and_it_clears_when_the_window_ends()
    {
        await using var f = await SensorFixture.StartAsync();
        var snap = await f.ReportAsync(f.Event(severity: 2));

        var window = Assert.Single(snap.Windows);
        Assert.Null(window.CaseId);
        Assert.Empty(await f.Cases.ListCaseIdsAsync("", 10));
        var alert = Assert.Single(f.Feed.Alerts);
        Assert.Equal((SensorAlertTypes.SensorEvent, "s1", true, SensorFixture.Grid), (alert.Type, alert.Subject, alert.Active, alert.GridCode));
        Assert.Contains(SensorFixture.Grid, alert.Scopes);
        Assert.Equal(f.Regions.ScopesOf(SensorFixture.Grid), alert.Scopes);

        f.Time.Advance(TimeSpan.FromMinutes(2));
        snap = await f.ReportAsync(f.Event(severity: 1));
        Assert.Equal(2, Assert.Single(snap.Windows).Count);
        Assert.Equal(2, f.Feed.Alerts.Count(a => a.Active && a.AlertId == alert.AlertId));

        f.Time.Advance(TimeSpan.FromMinutes(10));
        snap = await f.Sensor().Get();
        Assert.Empty(snap.Windows);
        Assert.Equal([SensorAlertTypes.SensorOffline], snap.ActiveAlerts); // no heartbeat meanwhile
        Assert.Contains(f.Feed.Alerts, a => !a.Active && a.AlertId == alert.AlertId);
    }

    [Fact]
    public async Task Alert_only_types_never_open_cases_and_an_alert_window_escalates_to_a_case_at_case_severity()
    {
        await using var f = await SensorFixture.StartAsync();
        var smoke = await f.ReportAsync(f.Event(SensorEventTypes.Smoke, severity: 5));
        Assert.Null(Assert.Single(smoke.Windows).CaseId);
        Assert.Equal(AlertSeverity.Critical, Assert.Single(f.Feed.Alerts).Severity);

        await f.ReportAsync(f.Event(SensorEventTypes.GarbageOverflow, severity: 1));
        f.Time.Advance(TimeSpan.FromMinutes(1));
        var snap = await f.ReportAsync(f.Event(SensorEventTypes.GarbageOverflow, severity: 3));
        var garbage = Assert.Single(snap.Windows, w => w.Type == SensorEventTypes.GarbageOverflow);
        Assert.NotNull(garbage.CaseId);
        Assert.Equal(2, garbage.Count);
        Assert.Equal("0102", (await f.CaseAsync(garbage.CaseId!)).CategoryCode);
        Assert.Contains(f.Feed.Alerts, a => !a.Active && a.AlertId.EndsWith(SensorEventTypes.GarbageOverflow, StringComparison.Ordinal));
        Assert.Equal(["sensor_event:smoke"], snap.ActiveAlerts);
    }

    [Fact]
    public async Task Unknown_event_types_raise_an_alert()
    {
        await using var f = await SensorFixture.StartAsync();
        var snap = await f.ReportAsync(f.Event("noise", severity: 5));
        Assert.Null(Assert.Single(snap.Windows).CaseId);
        Assert.Equal(SensorAlertTypes.SensorEvent, Assert.Single(f.Feed.Alerts).Type);
    }

    [Fact]
    public async Task A_repeat_after_the_case_was_voided_opens_a_new_case()
    {
        await using var f = await SensorFixture.StartAsync();
        var first = (await f.ReportAsync(f.Event())).Windows[0].CaseId!;
        var staff = new CaseActor("staff1", CaseRoles.CommandStaff, "");
        var voided = await f.Grains.GetGrain<ICaseGrain>(first).Execute(new CaseCommand { RequestId = "v1", Actor = staff, Kind = CaseCommandKind.Void, Note = "false alarm" });
        Assert.True(voided.Succeeded, voided.Error);

        f.Time.Advance(TimeSpan.FromMinutes(1));
        var snap = await f.ReportAsync(f.Event());
        var second = Assert.Single(snap.Windows).CaseId!;
        Assert.NotEqual(first, second);
        Assert.Equal(CaseStatus.Verifying, (await f.CaseAsync(second)).Status);
    }

    [Fact]
    public async Task Missing_heartbeat_raises_sensor_offline_and_the_next_heartbeat_clears_it()
    {
        await using var f = await SensorFixture.StartAsync();
        var snap = await f.HeartbeatAsync();
        Assert.True(snap.Online);
        Assert.Equal("ok", snap.LastStatus);

        f.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True((await f.Sensor().Get()).Online);
        Assert.Empty(f.Feed.Alerts);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        snap = await f.Sensor().Get();
        Assert.False(snap.Online);
        Assert.Equal([SensorAlertTypes.SensorOffline], snap.ActiveAlerts);
        var offline = Assert.Single(f.Feed.Alerts);
        Assert.Equal((SensorAlertTypes.SensorOffline, true, "s1"), (offline.Type, offline.Active, offline.Subject));

        // Silence goes on: no second alert, and idle collection does not clear it either.
        for (var i = 0; i < 36; i++)
        {
            f.Time.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal([SensorAlertTypes.SensorOffline], (await f.Sensor().Get()).ActiveAlerts);
        }
        Assert.Single(f.Feed.Alerts);

        snap = await f.HeartbeatAsync();
        Assert.True(snap.Online);
        Assert.Empty(snap.ActiveAlerts);
        Assert.Contains(f.Feed.Alerts, a => a.Type == SensorAlertTypes.SensorOffline && !a.Active && a.AlertId == offline.AlertId);
    }

    [Fact]
    public async Task An_event_is_contact_too_and_clears_sensor_offline()
    {
        await using var f = await SensorFixture.StartAsync(o => o.HeartbeatTimeout = TimeSpan.FromMinutes(2));
        await f.HeartbeatAsync();
        f.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([SensorAlertTypes.SensorOffline], (await f.Sensor().Get()).ActiveAlerts);
        var snap = await f.ReportAsync(f.Event(severity: 1));
        Assert.True(snap.Online);
        Assert.DoesNotContain(SensorAlertTypes.SensorOffline, snap.ActiveAlerts);
    }

    [Fact]
    public async Task Heartbeats_in_time_keep_the_sensor_online()
    {
        await using var f = await SensorFixture.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            await f.HeartbeatAsync();
            f.Time.Advance(TimeSpan.FromMinutes(4));
        }
        Assert.True((await f.Sensor().Get()).Online);
        Assert.Empty(f.Feed.Alerts);
    }

    [Fact]
    public async Task Unknown_or_inactive_sensors_change_nothing()
    {
        await using var f = await SensorFixture.StartAsync();
        var unknown = await f.ReportAsync(f.Event(), "nobody");
        Assert.False(unknown.Known);
        Assert.Empty(unknown.Windows);
        var inactive = await f.HeartbeatAsync("s-off");
        Assert.False(inactive.Online);
        f.Time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(f.Feed.Alerts);
        Assert.Empty(await f.Cases.ListCaseIdsAsync("", 10));
    }
}
