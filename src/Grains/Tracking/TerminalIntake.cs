using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Directory;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Tracking;

public enum IntakeStatus
{
    /// <summary>Parsed, durable (positions) and handed to the worker grain: acknowledge.</summary>
    Accepted,

    /// <summary>The payload is not valid: MQTT 5.0 reason code 0x99 (payload format invalid); nothing was stored.</summary>
    InvalidPayload,

    /// <summary>The worker id is not acceptable (empty or too long): 0x90 (topic name invalid).</summary>
    InvalidWorker,

    /// <summary>History could not be made durable: do not acknowledge (0x80 unspecified error); the terminal resends.</summary>
    StorageUnavailable,
}

/// <summary>What intake did with one uplink publish; <see cref="Reason"/> explains a rejection (for logs and the 5.0 reason string).</summary>
public readonly record struct IntakeResult(IntakeStatus Status, string? Reason)
{
    public static IntakeResult Accepted { get; } = new(IntakeStatus.Accepted, null);

    public bool IsAccepted => Status == IntakeStatus.Accepted;
}

/// <summary>
/// The uplink path the broker calls for <c>gridgov/v1/terminals/{workerId}/position|sos</c>: parse, queue the
/// append to history, tell the worker grain (one-way), and wait until the append is committed. It completes only
/// when the fixes are durable, so the broker sends PUBACK after that. Bad payloads are counted and
/// rejected; this never throws for anything a terminal sends.
/// </summary>
public sealed partial class TerminalIntake(
    TerminalPayloadParser parser,
    IPositionHistory history,
    IRegionDirectory regions,
    IGrainFactory grains,
    TrackingMetrics metrics,
    ILogger<TerminalIntake> logger)
{
    public const int MaxWorkerIdLength = 64;

    public async ValueTask<IntakeResult> HandleAsync(string workerId, TerminalTopic kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(workerId) || workerId.Length > MaxWorkerIdLength) return Reject(kind, IntakeStatus.InvalidWorker, "Worker id must be 1–64 characters.");
        switch (kind)
        {
            case TerminalTopic.Position:
                if (!parser.TryParsePositions(payload.Span, out var fixes, out var error)) return Reject(kind, IntakeStatus.InvalidPayload, error!);
                return await AcceptPositionsAsync(workerId, fixes, cancellationToken);
            case TerminalTopic.Sos:
                if (!parser.TryParseSos(payload.Span, out var sos, out error)) return Reject(kind, IntakeStatus.InvalidPayload, error!);
                await grains.GetGrain<IWorkerGrain>(workerId).ReportSos(sos!);
                metrics.PayloadAccepted(kind);
                return IntakeResult.Accepted;
            default:
                return Reject(kind, IntakeStatus.InvalidPayload, $"Topic kind {kind} is not handled by tracking intake.");
        }
    }

    /// <summary>Already-validated fixes from another front door (the OsmAnd endpoint): completes once durable.</summary>
    public async ValueTask<IntakeResult> AcceptPositionsAsync(string workerId, PositionFix[] fixes, CancellationToken cancellationToken = default)
    {
        var grids = new string?[fixes.Length];
        string? hint = null;
        for (var i = 0; i < fixes.Length; i++) grids[i] = hint = regions.LocateGrid(fixes[i].Lat, fixes[i].Lon, hint);
        // The grain hears of the fixes in arrival order (one connection's publishes are handled concurrently, and
        // commit continuations could reorder them into "out of order" drops); the ack still waits for the commit.
        // If the commit fails the terminal resends, and the grain drops the repeat as a duplicate.
        var durable = history.AppendAsync(workerId, fixes, grids, cancellationToken);
        await grains.GetGrain<IWorkerGrain>(workerId).ReportPositions(fixes);
        try
        {
            await durable;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStorageFailed(logger, ex, workerId);
            return Reject(TerminalTopic.Position, IntakeStatus.StorageUnavailable, "Position history is unavailable; retry.");
        }
        metrics.PayloadAccepted(TerminalTopic.Position);
        return IntakeResult.Accepted;
    }

    private IntakeResult Reject(TerminalTopic kind, IntakeStatus status, string reason)
    {
        metrics.PayloadRejected(kind, status switch
        {
            IntakeStatus.StorageUnavailable => "storage",
            IntakeStatus.InvalidWorker => "worker",
            _ => "invalid",
        });
        LogRejected(logger, kind, status, reason);
        return new IntakeResult(status, reason);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Terminal {Kind} payload rejected ({Status}): {Reason}")]
    private static partial void LogRejected(ILogger logger, TerminalTopic kind, IntakeStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Position history append for {WorkerId} failed; the publish is not acknowledged")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string workerId);
}
