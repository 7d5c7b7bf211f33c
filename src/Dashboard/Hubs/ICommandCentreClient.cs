namespace GridGov.Realtime.Dashboard.Hubs;

/// <summary>
/// What a command centre receives over <c>/hubs/command-centre</c>. Each method takes one object so a
/// field added later never breaks an older client. Method names are the SignalR target names
/// ("Positions", "WorkerStatus", ...); payloads are camelCase JSON.
/// </summary>
public interface ICommandCentreClient
{
    /// <summary>The latest fix of each worker that moved in <see cref="PositionBatch.Scope"/> since the last batch.</summary>
    Task Positions(PositionBatch batch);

    Task WorkerStatus(WorkerStatusMessage message);

    Task GridTransition(GridTransitionMessage message);

    Task Alert(AlertMessage message);

    Task Counters(CountersMessage message);

    /// <summary>A warning changed in the subscribed region, an ancestor, or a region below it.</summary>
    Task Warning(WarningMessage message);

    /// <summary>An escalation to on-call responders in the subscribed region was sent, timed out, acknowledged or left unanswered.</summary>
    Task Escalation(EscalationMessage message);

    /// <summary>A case in the subscribed scope was reported or changed (status, deadline, traffic light, escalation).</summary>
    Task CaseUpdated(CaseUpdateMessage message);

    /// <summary>A case was escalated (督办) to the subscribed region or a region below it.</summary>
    Task CaseEscalated(CaseEscalationMessage message);
}
