using GridGov.Realtime.Grains.Cases;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases.ReadModel;

/// <summary>
/// The hand-computed example: six cases reported in district 310104 in March 2026, one there in April and
/// one in district 310105 in March.
/// <list type="bullet">
/// <item>A: patrol report, water, closed with every step on time.</item>
/// <item>B: patrol report, water, feedback the next afternoon (handling overdue), closed.</item>
/// <item>C: patrol report, water, 核查 failed once (返工), then closed on time.</item>
/// <item>D: patrol report, component 0102, dispatched to power, being handled (open).</item>
/// <item>E: patrol report, voided (never filed).</item>
/// <item>F: public report by staff, 核实 confirmed by the worker, filed (open, waiting for dispatch).</item>
/// <item>G: patrol report in April (open); H: patrol report in 310105 (open).</item>
/// </list>
/// </summary>
internal sealed record ExampleDistrict(string A, string B, string C, string D, string E, string F, string G, string H)
{
    public const string OtherRegion = "31010500101";
    public static DateTimeOffset March => At(2, 9);
    public static DateTimeOffset April => new(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public static async Task<ExampleDistrict> SeedAsync(ReadModelHarness h)
    {
        var a = await h.ClosedAsync(At(2, 9));

        var b = await h.ReportAsync(At(3, 9));
        await h.DoAsync(b, Staff, CaseCommandKind.File, At(3, 9, 1));
        await h.DoAsync(b, Staff, CaseCommandKind.Dispatch, At(3, 9, 2), "water");
        await h.HandleAndCloseAsync(b, At(4, 16));

        var c = await h.ReportAsync(At(5, 9));
        await h.DoAsync(c, Staff, CaseCommandKind.File, At(5, 9, 1));
        await h.DoAsync(c, Staff, CaseCommandKind.Dispatch, At(5, 9, 2), "water");
        await h.DoAsync(c, Handler, CaseCommandKind.Accept, At(5, 9, 3));
        await h.DoAsync(c, Handler, CaseCommandKind.SubmitFeedback, At(5, 9, 4));
        await h.DoAsync(c, Staff, CaseCommandKind.RequestCheck, At(5, 9, 5));
        await h.DoAsync(c, Worker, CaseCommandKind.FailCheck, At(5, 9, 6));
        await h.HandleAndCloseAsync(c, At(5, 9, 7));

        var d = await h.ReportAsync(At(9, 9), category: "0102");
        await h.DoAsync(d, Staff, CaseCommandKind.File, At(9, 9, 1));
        await h.DoAsync(d, Staff, CaseCommandKind.Dispatch, At(9, 9, 2), "power");
        await h.DoAsync(d, OtherHandler, CaseCommandKind.Accept, At(9, 9, 3));

        var e = await h.ReportAsync(At(10, 9));
        await h.DoAsync(e, Staff, CaseCommandKind.Void, At(10, 9, 1));

        var f = await h.ReportAsync(At(11, 9), Staff);
        await h.DoAsync(f, Staff, CaseCommandKind.RequestVerification, At(11, 9, 1));
        await h.DoAsync(f, Worker, CaseCommandKind.Verify, At(11, 9, 2), confirmed: true);
        await h.DoAsync(f, Staff, CaseCommandKind.File, At(11, 9, 3));

        var g = await h.ReportAsync(April.AddHours(10));
        var other = await h.ReportAsync(At(12, 9), OtherDistrictStaff with { Role = CaseRoles.GridWorker, Scope = "310105" }, OtherRegion);
        return new ExampleDistrict(a, b, c, d, e, f, g, other);
    }
}
