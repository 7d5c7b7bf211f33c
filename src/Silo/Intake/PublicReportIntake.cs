using System.Security.Claims;
using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Intake;
using GridGov.Realtime.Silo.Cases;

namespace GridGov.Realtime.Silo.Intake;

/// <summary>A citizen's report as the REST and Open311 front doors hand it over (both validate their own shapes first).</summary>
internal sealed record PublicReport(
    string Channel,
    string? RequestId,
    string? Category,
    string? Kind,
    string? Urgency,
    string? Description,
    double? Latitude,
    double? Longitude,
    IReadOnlyList<string>? Photos,
    string? Contact);

/// <summary>
/// The one path for citizens' reports (DOMAIN.md §3 step 1: 12345/12319 and public reports, which need 核实): resolves
/// the category, locates the grid of the point, and opens the case through <see cref="ICaseIntakeGrain"/> as the
/// calling account, with verification dispatched to the nearest on-duty grid worker. Idempotent by request id when the
/// client gives one. Errors name the field in the generic names (category, kind, urgency, description, latitude,
/// longitude, photos, requestId); front doors rename them to theirs.
/// </summary>
internal sealed class PublicReportIntake(IGrainFactory grains, CategoryCatalog catalog, IRegionDirectory regions, IntakeMetrics metrics)
{
    public const int MaxContactLength = 300;

    public async Task<CaseIntakeResult> SubmitAsync(ClaimsPrincipal user, PublicReport report)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(report);
        if (report.RequestId is not null && !CaseIntakeKeys.IsValidRequestId(report.RequestId))
            return Invalid(report, "requestId", $"requestId must be 1–{CaseWorkflow.MaxIdLength} characters without spaces.");
        if (!CategoryRef.TryResolve(catalog, report.Kind, report.Category, out var category, out var error)) return Invalid(report, "category", error!);
        if (!CategoryRef.TryUrgency(category!, report.Urgency, out var urgency, out error)) return Invalid(report, "urgency", error!);
        if (string.IsNullOrWhiteSpace(report.Description)) return Invalid(report, "description", "description is required.");
        if (report.Latitude is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) return Invalid(report, "latitude", "latitude is required, within −90–90 degrees.");
        if (report.Longitude is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) return Invalid(report, "longitude", "longitude is required, within −180–180 degrees.");
        if (report.Contact is { Length: > MaxContactLength }) return Invalid(report, "contact", $"contact details are at most {MaxContactLength} characters.");
        if (regions.LocateGrid(lat, lon) is not { } grid) return Invalid(report, "latitude", $"The point {lat}, {lon} is outside every grid of the city.");

        var actor = CasesApi.ActorOf(user);
        var key = CaseIntakeKeys.For(report.Channel, actor.UserName, report.RequestId ?? Guid.NewGuid().ToString("N"));
        var result = await grains.GetGrain<ICaseIntakeGrain>(key).Submit(new CaseIntakeRequest
        {
            Actor = actor,
            Kind = category!.Kind,
            CategoryCode = category.Code,
            Urgency = urgency,
            RegionCode = grid,
            Description = report.Description.Trim(),
            Latitude = lat,
            Longitude = lon,
            Attachments = report.Photos is { Count: > 0 } photos ? photos : null,
            Note = string.IsNullOrWhiteSpace(report.Contact) ? $"Citizen report ({report.Channel})" : $"Citizen report ({report.Channel}); contact: {report.Contact.Trim()}",
            DispatchVerification = true,
        });
        if (result.Succeeded) metrics.Report(report.Channel, result.Replayed);
        else metrics.Rejected(report.Channel, result.Status.ToString());
        return result;
    }

    private CaseIntakeResult Invalid(PublicReport report, string field, string error)
    {
        metrics.Rejected(report.Channel, field);
        return new CaseIntakeResult(CaseCommandStatus.Invalid, null, error, field);
    }
}
