using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Cases;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>One report request, keyed by <see cref="CaseIntakeKeys.For"/>: opens its case exactly once.</summary>
public interface ICaseIntakeGrain : IGrainWithStringKey
{
    Task<CaseIntakeResult> Submit(CaseIntakeRequest request);
}

/// <summary>
/// Turns a report into a case through the one <see cref="ICaseGrain"/> every channel uses, exactly once per request.
/// </summary>
/// <remarks>
/// A report's case id comes from <see cref="ICaseNumberGrain"/>, so a redelivered report would open a second case if
/// nothing remembered the first: this grain does, keyed by the request. It decides the report first (pure, so a bad
/// report uses up no case number), persists the case id before reporting, reports with its key as the request id
/// (the case replays a repeat), then, for public reports, dispatches verification. Each stage is recorded, so a retry
/// after a crash anywhere finishes the remaining stages and never repeats a finished one. One turn at a time: two
/// redeliveries racing each other are serialized here. The same key with a different report is a conflict.
/// </remarks>
public sealed class CaseIntakeGrain(
    [PersistentState("intake")] IPersistentState<CaseIntakeState> state,
    CaseWorkflow workflow,
    VerificationDispatcher verification) : Grain, ICaseIntakeGrain
{
    private const string TrialCaseId = "C00000000000000";

    private CaseIntakeState S => state.State;

    public async Task<CaseIntakeResult> Submit(CaseIntakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fingerprint = request.Fingerprint();
        if (S.CaseId is not null && S.Fingerprint != fingerprint)
            return new CaseIntakeResult(CaseCommandStatus.Conflict, null, $"Request id already opened case {S.CaseId} with a different report.", "requestId");

        var replayed = S.Reported;
        var command = request.ToCommand(GetPrimaryKeyString());
        if (S.CaseId is null)
        {
            var now = TimeProvider.GetUtcNow();
            var trial = workflow.Decide(TrialCaseId, null, command, now);
            if (trial.Event is null) return new CaseIntakeResult(trial.Status, null, trial.Error, trial.Field);
            S.CaseId = await GrainFactory.GetGrain<ICaseNumberGrain>(CaseIds.DayKey(now, workflow.Calendar.TimeZone)).Next();
            S.Fingerprint = fingerprint;
            // Durable before the report: a retry after a crash finds this id and reports into the same case.
            await state.WriteStateAsync();
        }

        var caseGrain = GrainFactory.GetGrain<ICaseGrain>(S.CaseId);
        var result = await caseGrain.Execute(command);
        if (!result.Succeeded) return new CaseIntakeResult(result.Status, null, result.Error, result.Field);
        if (!S.Reported)
        {
            S.Reported = true;
            await state.WriteStateAsync();
        }

        var view = await caseGrain.Get() ?? result.View!;
        if (request.DispatchVerification && !S.VerificationDispatched)
        {
            view = await verification.DispatchAsync(view);
            S.VerificationDispatched = true;
            await state.WriteStateAsync();
        }
        return new CaseIntakeResult(CaseCommandStatus.Ok, view, Replayed: replayed);
    }
}
