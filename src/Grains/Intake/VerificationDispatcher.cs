using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Tracking;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>
/// Sends a public or sensor report to a grid worker for 核实 (DOMAIN.md §3 step 1): gathers the workers inside the
/// case's grid (<see cref="IGridGrain"/>) and assigned to it (<see cref="IWorkerDirectory"/>), asks each
/// <see cref="IWorkerGrain"/> for duty and last fix, lets <see cref="VerifierChoice"/> pick, records the pick on the case
/// (<see cref="CaseCommandKind.RequestVerification"/> naming the worker, as the system actor) and, once that is durable,
/// publishes the task on the worker's downlink. With nobody to send, it records a note and the report stays with the
/// dispatcher (who requests verification by hand). Idempotent: fixed request ids, and a case that already has a
/// verifier or is past 核实 is left alone, so a redelivered report or a retry after a crash dispatches once.
/// </summary>
/// <remarks>Called from inside grain turns (intake, sensors); it calls grid, worker and case grains, none of which call back.</remarks>
public sealed partial class VerificationDispatcher(
    IGrainFactory grains,
    IWorkerDirectory directory,
    ICaseTaskPublisher tasks,
    IntakeMetrics metrics,
    ILogger<VerificationDispatcher> logger)
{
    public const string AssignRequestId = "verification:auto";
    public const string NobodyRequestId = "verification:nobody";

    private static readonly CaseActor Dispatcher = new("system:verification", CaseRoles.System, "");

    /// <summary>True when the case waits for a verifier to be chosen: a public or sensor report, not yet verified, nobody sent.</summary>
    public static bool Awaits(CaseView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view is { NeedsVerification: true, Verified: null, Verifier: null, Status: CaseStatus.Reported or CaseStatus.Verifying };
    }

    /// <summary>Chooses, records and notifies; returns the case afterwards (unchanged when there was nothing to do).</summary>
    public async Task<CaseView> DispatchAsync(CaseView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!Awaits(view)) return view;
        var pick = VerifierChoice.Choose(view.Latitude, view.Longitude, await CandidatesAsync(view.RegionCode));
        var caseGrain = grains.GetGrain<ICaseGrain>(view.Id);
        if (pick is null)
        {
            var noted = await caseGrain.Execute(new CaseCommand
            {
                RequestId = NobodyRequestId,
                Actor = Dispatcher,
                Kind = CaseCommandKind.Annotate,
                Note = $"No grid worker is on duty in or assigned to grid {view.RegionCode}: verification (核实) waits for the dispatcher.",
            });
            if (!noted.Replayed) metrics.Verification("nobody");
            LogNobody(logger, view.Id, view.RegionCode);
            return noted.View is not null && !noted.Replayed ? noted.View : await caseGrain.Get() ?? view;
        }

        var result = await caseGrain.Execute(new CaseCommand
        {
            RequestId = AssignRequestId,
            Actor = Dispatcher,
            Kind = CaseCommandKind.RequestVerification,
            Worker = pick.WorkerId,
            Note = pick.Reason,
        });
        if (!result.Succeeded)
        {
            // E.g. the dispatcher voided it meanwhile: nothing to send.
            LogNotRecorded(logger, view.Id, result.Status, result.Error);
            return await caseGrain.Get() ?? view;
        }
        if (!result.Replayed) metrics.Verification(pick.Fallback ? "assigned" : "nearest");
        // A replay (a retry after a crash before the downlink) tells the worker recorded then, not today's pick.
        var after = result.Replayed ? await caseGrain.Get() ?? result.View! : result.View!;
        await NotifyAsync(after, pick.Reason, cancellationToken);
        return after;
    }

    /// <summary>
    /// Sends the verification task to the case's recorded verifier (after the assignment is durable: a terminal never
    /// gets a task the case does not show). A failed publish is logged: the assignment stands and is visible to the
    /// command centre, which can send the worker again.
    /// </summary>
    public async Task NotifyAsync(CaseView view, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Verifier is not { } worker || view.Status != CaseStatus.Verifying) return;
        try
        {
            await tasks.PublishAsync(worker, CaseTask.VerifyFor(view, note), cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPublishFailed(logger, ex, view.Id, worker);
        }
    }

    private async Task<List<VerifierCandidate>> CandidatesAsync(string grid)
    {
        var assigned = directory.WorkersAssignedTo(grid)
            .Where(w => w.Active && w.Role == WorkerRoles.GridWorker)
            .Select(w => w.WorkerId)
            .ToHashSet(StringComparer.Ordinal);
        var inside = (await grains.GetGrain<IGridGrain>(grid).Get()).Workers
            .Select(w => w.WorkerId)
            .Where(id => directory.FindWorker(id) is not { } p || (p.Active && p.Role == WorkerRoles.GridWorker));
        var candidates = new List<VerifierCandidate>();
        foreach (var id in assigned.Union(inside, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var worker = await grains.GetGrain<IWorkerGrain>(id).Get();
            candidates.Add(new VerifierCandidate(id, worker.Status == WorkerStatus.OnDuty, worker.LastFix?.Lat, worker.LastFix?.Lon, assigned.Contains(id)));
        }
        return candidates;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: no grid worker on duty in or assigned to grid {Grid}; verification waits for the dispatcher")]
    private static partial void LogNobody(ILogger logger, string caseId, string grid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: the verifier could not be recorded ({Status}: {Error})")]
    private static partial void LogNotRecorded(ILogger logger, string caseId, CaseCommandStatus status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: the verification task for worker {WorkerId} could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string caseId, string workerId);
}
