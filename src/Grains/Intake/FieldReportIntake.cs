using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Tracking;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Intake;

public enum FieldReportStatus
{
    /// <summary>The case is open and durable (or was already, for a redelivery): acknowledge.</summary>
    Accepted,

    /// <summary>Bad payload, unknown category, outside every grid: MQTT 5.0 0x99; nothing was created.</summary>
    InvalidPayload,

    /// <summary>The worker id is empty or too long: 0x90 (topic name invalid).</summary>
    InvalidWorker,

    /// <summary>Not an active grid worker, or the grid is outside the worker's region: 0x87 (not authorized).</summary>
    NotAuthorized,
}

public readonly record struct FieldReportResult(FieldReportStatus Status, string? Reason, string? CaseId = null, bool Replayed = false)
{
    public bool IsAccepted => Status == FieldReportStatus.Accepted;
}

/// <summary>
/// The uplink path for <c>gridgov/v1/terminals/{workerId}/report</c>: parse, resolve the category, locate the grid of
/// the reported point, and open the case through <see cref="ICaseIntakeGrain"/> as the worker (a patrol report: it
/// needs no 核实 and starts in Reported, waiting for 立案, DOMAIN.md §3). Completes only once the case is durable, so
/// the broker's PUBACK means the case exists. Idempotent by the report's request id (or its ts when it has none), so
/// a QoS 1 redelivery opens nothing new. Storage failures propagate (no PUBACK; the terminal resends).
/// </summary>
public sealed partial class FieldReportIntake(
    FieldReportParser parser,
    CategoryCatalog catalog,
    IRegionDirectory regions,
    IWorkerDirectory workers,
    IGrainFactory grains,
    IntakeMetrics metrics,
    ILogger<FieldReportIntake> logger)
{
    public const int MaxWorkerIdLength = 64;

    public async ValueTask<FieldReportResult> HandleAsync(string workerId, ReadOnlyMemory<byte> payload)
    {
        if (string.IsNullOrEmpty(workerId) || workerId.Length > MaxWorkerIdLength)
            return Reject(FieldReportStatus.InvalidWorker, "worker", $"Worker id must be 1–{MaxWorkerIdLength} characters.");
        var profile = workers.FindWorker(workerId);
        if (profile is not null && (!profile.Active || profile.Role != WorkerRoles.GridWorker))
            return Reject(FieldReportStatus.NotAuthorized, "worker", $"{workerId} is not an active grid worker.");
        if (!parser.TryParse(payload.Span, out var report, out var error)) return Reject(FieldReportStatus.InvalidPayload, "invalid", error!);
        if (!CategoryRef.TryResolve(catalog, report!.Kind, report.Category, out var category, out error)) return Reject(FieldReportStatus.InvalidPayload, "category", error!);
        if (!CategoryRef.TryUrgency(category!, report.Urgency, out var urgency, out error)) return Reject(FieldReportStatus.InvalidPayload, "invalid", error!);
        if (regions.LocateGrid(report.Lat, report.Lon) is not { } grid)
            return Reject(FieldReportStatus.InvalidPayload, "outside", $"The point {report.Lat}, {report.Lon} is outside every grid.");

        // A registered worker acts within their region; one known only by login (no directory entry) within the grid reported.
        var actor = new CaseActor(workerId, CaseRoles.GridWorker, profile?.RegionCode ?? grid);
        var result = await grains.GetGrain<ICaseIntakeGrain>(CaseIntakeKeys.For(IntakeChannels.Terminal, workerId, report.EffectiveRequestId)).Submit(new CaseIntakeRequest
        {
            Actor = actor,
            Kind = category!.Kind,
            CategoryCode = category.Code,
            Urgency = urgency,
            RegionCode = grid,
            Description = report.Description,
            Latitude = report.Lat,
            Longitude = report.Lon,
            Attachments = report.Photos.Count == 0 ? null : report.Photos,
            Note = $"Field report from terminal {workerId} taken at {DateTimeOffset.FromUnixTimeMilliseconds(report.Ts):O}",
        });
        switch (result.Status)
        {
            case CaseCommandStatus.Ok:
                metrics.Report(IntakeChannels.Terminal, result.Replayed);
                LogOpened(logger, workerId, result.View!.Id, result.Replayed);
                return new FieldReportResult(FieldReportStatus.Accepted, null, result.View.Id, result.Replayed);
            case CaseCommandStatus.Forbidden:
                return Reject(FieldReportStatus.NotAuthorized, "scope", result.Error ?? "Not allowed.");
            default:
                return Reject(FieldReportStatus.InvalidPayload, result.Status == CaseCommandStatus.Conflict ? "conflict" : "invalid",
                    result.Field is { } f ? $"{f}: {result.Error}" : result.Error ?? "Invalid report.");
        }
    }

    private FieldReportResult Reject(FieldReportStatus status, string reason, string message)
    {
        metrics.Rejected(IntakeChannels.Terminal, reason);
        LogRejected(logger, status, message);
        return new FieldReportResult(status, message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Field report rejected ({Status}): {Reason}")]
    private static partial void LogRejected(ILogger logger, FieldReportStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Field report from {WorkerId}: case {CaseId} (repeat: {Replayed})")]
    private static partial void LogOpened(ILogger logger, string workerId, string caseId, bool replayed);
}
