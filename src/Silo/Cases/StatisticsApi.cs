using System.Text.Json;
using System.Text.Json.Serialization;
using GridGov.Realtime.Grains.Assessment;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Cases.ReadModel;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Silo.Auth;

namespace GridGov.Realtime.Silo.Cases;

/// <summary>
/// Assessment (综合评价, DOMAIN.md §5) from the case read model: a region's rates, 综合指标值 and grade over a
/// period, its sub-regions, departments and people ranked, and a monthly series of reported vs closed cases.
/// A period is [from, to) over report time (default: this calendar year up to now); the cases counted are
/// those reported in it. Every route is scope-checked: a region outside the caller's scope is 403.
/// </summary>
public static class StatisticsApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/statistics").RequireAuthorization().WithTags("Statistics");
        group.MapGet("/regions/{code}", RegionAsync).WithName("GetRegionStatistics")
            .WithSummary("A region's counters, rates (结案率, 按期结案率, 按时处置率, 返工率, 超期率...), 综合指标值 and grade over [from, to), with its live open/overdue/escalated counts.");
        group.MapGet("/regions/{code}/rankings", RankingsAsync).WithName("GetRegionRankings")
            .WithSummary("The region's sub-regions (districts of a city, streets of a district...) ranked by 综合指标值 over [from, to).");
        group.MapGet("/regions/{code}/monthly", MonthlyAsync).WithName("GetRegionMonthly")
            .WithSummary("Cases reported and closed in each month of ?year= (default this year) in the region.");
        group.MapGet("/departments", DepartmentsAsync).WithName("GetDepartmentStatistics")
            .WithSummary("Professional departments ranked by 综合指标值 over [from, to), for cases in ?region= (default your scope).");
        group.MapGet("/workers", WorkersAsync).WithName("GetWorkerStatistics")
            .WithSummary("Grid workers (监督员) ranked by 综合指标值 over [from, to): reports, 有效上报率 and 按时核查率, for ?region= (default your scope).");
        return app;
    }

    internal sealed record Period(DateTimeOffset From, DateTimeOffset To);

    internal sealed record RegionStatistics(string RegionCode, string? Name, Period Period, AssessmentReport Assessment, LiveCaseCounts Live);

    internal sealed record Ranked(string RegionCode, Period Period, IReadOnlyList<AssessmentReport> Items);

    internal sealed record MonthlyPoint(int Month, int Reported, int Closed);

    internal sealed record Monthly(string RegionCode, int Year, IReadOnlyList<MonthlyPoint> Months);

    private static async Task<IResult> RegionAsync(string code, string? from, string? to, HttpContext http, CaseReadModel readModel,
        IRegionDirectory regions, CaseWorkflow workflow, TimeProvider time, CancellationToken cancellationToken)
    {
        if (CheckRegion(http, code) is { } bad) return bad;
        if (ParsePeriod(from, to, workflow, time) is not { } period) return PeriodInvalid(from, to, workflow);
        var counters = await readModel.RegionCountersAsync(code, period.From, period.To, cancellationToken);
        var node = regions.Find(code);
        var report = AssessmentReport.Of(AssessedObjectType.Region, code, node?.Name, counters, CompositeScores.Region(counters, ClassOf(node)));
        return Results.Json(new RegionStatistics(code, node?.Name, period, report, await readModel.CountAsync(code, cancellationToken)), Json);
    }

    private static async Task<IResult> RankingsAsync(string code, string? from, string? to, HttpContext http, CaseReadModel readModel,
        IRegionDirectory regions, CaseWorkflow workflow, TimeProvider time, CancellationToken cancellationToken)
    {
        if (CheckRegion(http, code) is { } bad) return bad;
        if (ParsePeriod(from, to, workflow, time) is not { } period) return PeriodInvalid(from, to, workflow);
        var scheme = regions.Scheme;
        if (!scheme.TryGetLevel(code, out var level, out var error)) return Invalid("code", error);
        if (level == RegionLevel.Grid) return Invalid("code", $"{code} is a unit grid: it has no sub-regions to rank.");
        var childLength = scheme.LengthOf(level + 1);
        var counters = await readModel.SubRegionCountersAsync(code, childLength, period.From, period.To, cancellationToken);
        var children = regions.Find(code)?.Children.Select(c => c.Code) ?? [];
        var items = children.Union(counters.Keys, StringComparer.Ordinal).Select(child =>
        {
            var c = counters.GetValueOrDefault(child) ?? new CaseCounters();
            var node = regions.Find(child);
            var score = CompositeScores.Region(c, ClassOf(node));
            return (AssessmentReport.Of(AssessedObjectType.Region, child, node?.Name, c, score), score);
        }).ToList();
        return Results.Json(new Ranked(code, period, AssessmentReport.Ranked(items, PeriodOf(period))), Json);
    }

    private static async Task<IResult> MonthlyAsync(string code, int? year, HttpContext http, CaseReadModel readModel,
        CaseWorkflow workflow, TimeProvider time, CancellationToken cancellationToken)
    {
        if (CheckRegion(http, code) is { } bad) return bad;
        var zone = workflow.Calendar.TimeZone;
        var y = year ?? TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).Year;
        if (y is < 2000 or > 2100) return Invalid("year", "year is 2000–2100.");
        var boundaries = Enumerable.Range(0, 13).Select(m => CaseQueryParameters.StartOfDay(new DateOnly(y, 1, 1).AddMonths(m), zone)).ToList();
        var series = await readModel.SeriesAsync(code, boundaries, cancellationToken);
        return Results.Json(new Monthly(code, y, [.. series.Select((p, i) => new MonthlyPoint(i + 1, p.Reported, p.Closed))]), Json);
    }

    private static async Task<IResult> DepartmentsAsync(string? region, string? from, string? to, HttpContext http, CaseReadModel readModel,
        CaseWorkflow workflow, TimeProvider time, CancellationToken cancellationToken)
    {
        var (code, denied) = CaseQueryParameters.Region(http.User, region);
        if (denied is not null) return denied;
        if (ParsePeriod(from, to, workflow, time) is not { } period) return PeriodInvalid(from, to, workflow);
        var counters = await readModel.DepartmentCountersAsync(code!, period.From, period.To, cancellationToken);
        var items = counters.Select(kv =>
        {
            var score = CompositeScores.Department(kv.Value);
            return (AssessmentReport.Of(AssessedObjectType.Department, kv.Key, null, kv.Value, score), score);
        }).ToList();
        return Results.Json(new Ranked(code!, period, AssessmentReport.Ranked(items, PeriodOf(period))), Json);
    }

    private static async Task<IResult> WorkersAsync(string? region, string? from, string? to, HttpContext http, CaseReadModel readModel,
        CaseWorkflow workflow, TimeProvider time, CancellationToken cancellationToken)
    {
        var (code, denied) = CaseQueryParameters.Region(http.User, region);
        if (denied is not null) return denied;
        if (ParsePeriod(from, to, workflow, time) is not { } period) return PeriodInvalid(from, to, workflow);
        var counters = await readModel.WorkerCountersAsync(code!, period.From, period.To, cancellationToken);
        var items = counters.Select(kv =>
        {
            var score = AssessmentReport.SupervisorScore(kv.Value);
            return (AssessmentReport.Of(AssessedObjectType.Supervisor, kv.Key, null, kv.Value, score), score);
        }).ToList();
        return Results.Json(new Ranked(code!, period, AssessmentReport.Ranked(items, PeriodOf(period))), Json);
    }

    private static IResult? CheckRegion(HttpContext http, string code)
    {
        if (!RegionScope.IsValidCode(code)) return Invalid("code", "code is a region code of 1–32 digits.");
        return http.User.CanSeeRegion(code) ? null : Regions.RegionVisibility.Forbidden(code);
    }

    // Default: from the start of this calendar year to now.
    private static Period? ParsePeriod(string? from, string? to, CaseWorkflow workflow, TimeProvider time)
    {
        var zone = workflow.Calendar.TimeZone;
        if (!CaseQueryParameters.TryParseInstant(from, zone, out var f) || !CaseQueryParameters.TryParseInstant(to, zone, out var t)) return null;
        var now = time.GetUtcNow();
        var start = f ?? CaseQueryParameters.StartOfDay(new DateOnly(TimeZoneInfo.ConvertTime(now, zone).Year, 1, 1), zone);
        var end = t ?? now;
        return start < end ? new Period(start, end) : null;
    }

    private static IResult PeriodInvalid(string? from, string? to, CaseWorkflow workflow)
    {
        var zone = workflow.Calendar.TimeZone;
        if (!CaseQueryParameters.TryParseInstant(from, zone, out _)) return Invalid("from", "from is an ISO 8601 date or date-time.");
        if (!CaseQueryParameters.TryParseInstant(to, zone, out _)) return Invalid("to", "to is an ISO 8601 date or date-time.");
        return Invalid("to", "to must be after from.");
    }

    // Rankings group by period; one request is one period, named by the year it starts in.
    private static AssessmentPeriod PeriodOf(Period period) => AssessmentPeriod.WholeYear(period.From.Year);

    // Only unit grids carry an area class; larger regions are scored on the 一类 table (DOMAIN.md §5).
    private static RegionClass ClassOf(RegionNode? node) => node?.AreaClass == AreaClass.Class2 ? RegionClass.ClassTwo : RegionClass.ClassOne;

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid statistics request", detail: message);
}
