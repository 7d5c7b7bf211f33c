using System.Globalization;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Intake;
using GridGov.Realtime.Grains.Tests.Tracking;

namespace GridGov.Realtime.Grains.Tests.Intake;

public sealed class FieldReportIntakeTests
{
    private static string Report(IntakeFixture f, int grid = 0, string category = "event.0102", string? requestId = null, string? extra = null)
    {
        var (lat, lon) = TrackingFixture.PointIn(grid);
        var ts = f.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = requestId is null ? "" : $",\"requestId\":\"{requestId}\"";
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"category":"{{category}}","description":"暴露垃圾","lat":{{lat}},"lon":{{lon}},"ts":{{ts}},"photos":["https://media.example/w/1.jpg"]{{id}}{{extra}}}""");
    }

    [Fact]
    public async Task A_field_report_opens_a_patrol_case_in_the_points_grid_that_needs_no_verification()
    {
        await using var f = await IntakeFixture.StartAsync(w => w.Add("w-1", IntakeFixture.Community, [IntakeFixture.Grid(2)]));

        var result = await f.ReportAsync("w-1", Report(f, grid: 2));

        Assert.True(result.IsAccepted, result.Reason);
        var view = (await f.Grains.GetGrain<ICaseGrain>(result.CaseId!).Get())!;
        Assert.Equal((CaseStatus.Reported, false, IntakeFixture.Grid(2)), (view.Status, view.NeedsVerification, view.RegionCode));
        Assert.Equal(("w-1", "0102", Urgency.Normal), (view.ReportedBy, view.CategoryCode, view.Urgency));
        Assert.Equal(["https://media.example/w/1.jpg"], view.Attachments);
        Assert.Equal(CaseRoles.GridWorker, Assert.Single(await f.HistoryAsync(view.Id)).ActorRole);
        Assert.Empty(f.Tasks.Sent);
    }

    [Fact]
    public async Task A_redelivered_report_with_or_without_a_request_id_opens_one_case()
    {
        await using var f = await IntakeFixture.StartAsync();
        var payload = Report(f);
        var first = await f.ReportAsync("w-1", payload);
        var again = await f.ReportAsync("w-1", payload);
        Assert.Equal((first.CaseId, false, true), (again.CaseId, first.Replayed, again.Replayed));

        var withId = Report(f, requestId: "rep-7");
        var a = await f.ReportAsync("w-1", withId);
        var b = await f.ReportAsync("w-1", withId);
        Assert.Equal(a.CaseId, b.CaseId);
        Assert.NotEqual(first.CaseId, a.CaseId);
        Assert.Equal(2, (await f.Cases.ListCaseIdsAsync("", 10)).Count);
    }

    [Fact]
    public async Task The_report_time_may_be_unix_seconds_or_iso_8601_and_an_urgency_and_a_kind_may_be_given()
    {
        await using var f = await IntakeFixture.StartAsync();
        var (lat, lon) = TrackingFixture.PointIn(3);
        var now = f.Time.GetUtcNow();
        var seconds = string.Create(CultureInfo.InvariantCulture,
            $$"""{"category":"0102","kind":"Event","urgency":"urgent","description":"x","lat":{{lat}},"lon":{{lon}},"ts":{{now.ToUnixTimeSeconds()}}}""");
        var iso = string.Create(CultureInfo.InvariantCulture,
            $$"""{"category":"component.0110","description":"路灯不亮","lat":{{lat}},"lon":{{lon}},"ts":"{{now.AddMinutes(-5):yyyy-MM-dd'T'HH:mm:sszzz}}","unknownField":[1,2]}""");

        var a = await f.ReportAsync("w-1", seconds);
        var b = await f.ReportAsync("w-1", iso);

        Assert.True(a.IsAccepted && b.IsAccepted, a.Reason + b.Reason);
        Assert.Equal(Urgency.Urgent, (await f.Grains.GetGrain<ICaseGrain>(a.CaseId!).Get())!.Urgency);
        var lamp = (await f.Grains.GetGrain<ICaseGrain>(b.CaseId!).Get())!;
        Assert.Equal((CaseKind.Component, "0110"), (lamp.Kind, lamp.CategoryCode));
    }

    public static TheoryData<string, string> BadPayloads() => new()
    {
        { "not json", "Malformed JSON" },
        { """{"description":"x","lat":31,"lon":121,"ts":1}""", "category is required" },
        { """{"category":"event.9999","description":"x","lat":31.2,"lon":121.4,"ts":"NOW"}""", "No category 9999" },
        { """{"category":"0101","description":"x","lat":31.2,"lon":121.4,"ts":"NOW"}""", "as a Component and as an Event" },
        { """{"category":"event.0102","description":"x","lat":91,"lon":121.4,"ts":"NOW"}""", "lat must be within" },
        { """{"category":"event.0102","description":"x","lat":31.2,"lon":121.4,"ts":1000}""", "ts is too old" },
        { """{"category":"event.0102","description":"x","lat":31.2,"lon":121.4,"ts":"NOW","photos":"a.jpg"}""", "photos must be an array" },
        { """{"category":"event.0102","description":"x","lat":31.2,"lon":121.4,"ts":"NOW","urgency":"Important"}""", "does not admit urgency" },
        { """{"category":"event.0102","description":"x","lat":1.0,"lon":1.0,"ts":"NOW"}""", "outside every grid" },
        { """{"category":"event.0102","description":"  ","lat":31.2,"lon":121.4,"ts":"NOW"}""", "description must not be empty" },
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public async Task A_bad_report_is_rejected_with_a_reason_and_creates_nothing(string payload, string reason)
    {
        await using var f = await IntakeFixture.StartAsync();
        var result = await f.ReportAsync("w-1", payload.Replace("\"NOW\"", f.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.Equal(FieldReportStatus.InvalidPayload, result.Status);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.Empty(await f.Cases.ListCaseIdsAsync("", 10));
    }

    [Fact]
    public async Task A_request_id_reused_for_another_report_and_a_worker_who_is_not_an_active_grid_worker_are_refused()
    {
        await using var f = await IntakeFixture.StartAsync(w =>
        {
            w.Add("w-gone", IntakeFixture.Community, [], active: false);
            w.Add("handler-1", IntakeFixture.Community, [], role: WorkerRoles.DepartmentHandler);
            w.Add("w-elsewhere", "999999", []);
        });
        Assert.True((await f.ReportAsync("w-1", Report(f, requestId: "x1"))).IsAccepted);
        var reused = await f.ReportAsync("w-1", Report(f, grid: 1, requestId: "x1"));
        Assert.Equal(FieldReportStatus.InvalidPayload, reused.Status);
        Assert.Contains("requestId", reused.Reason, StringComparison.Ordinal);

        Assert.Equal(FieldReportStatus.NotAuthorized, (await f.ReportAsync("w-gone", Report(f))).Status);
        Assert.Equal(FieldReportStatus.NotAuthorized, (await f.ReportAsync("handler-1", Report(f))).Status);
        Assert.Equal(FieldReportStatus.NotAuthorized, (await f.ReportAsync("w-elsewhere", Report(f))).Status);
        Assert.Equal(FieldReportStatus.InvalidWorker, (await f.ReportAsync("", Report(f))).Status);
        Assert.Single(await f.Cases.ListCaseIdsAsync("", 10));
    }
}
