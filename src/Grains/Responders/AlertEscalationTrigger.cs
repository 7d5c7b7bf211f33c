using GridGov.Realtime.Actors;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// Escalates worker alerts of the configured types (<see cref="EscalationOptions.AlertTypes"/>, SOS by default)
/// when they are raised: one escalation per alert id, started one-way so the worker grain never waits. Clearing
/// the alert does not close the escalation; somebody still has to acknowledge that they took it.
/// </summary>
public sealed partial class AlertEscalationTrigger(IGrainFactory grains, IOptions<EscalationOptions> options, ILogger<AlertEscalationTrigger> logger) : IAlertListener
{
    public void AlertChanged(AlertUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!update.Active || !options.Value.EscalatesAlert(update.Type)) return;
        // Alerts count where they were raised: the grid, or the worker's own region outside every grid (its first scope).
        var region = update.GridCode ?? (update.Scopes.Count > 0 ? update.Scopes[0] : null);
        if (string.IsNullOrEmpty(region))
        {
            LogNoRegion(logger, update.AlertId);
            return;
        }
        var subject = new EscalationSubject(EscalationKinds.Alert, update.AlertId, update.Type, $"{update.Type} from worker {update.Subject}: {update.Message}",
            region, update.Severity.ToString(), update.Lat, update.Lon, update.At);
        _ = grains.GetGrain<IEscalationGrain>(EscalationKinds.IdOf(EscalationKinds.Alert, update.AlertId)).Start(subject);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} is in no known region; it cannot be escalated to on-call responders")]
    private static partial void LogNoRegion(ILogger logger, string alertId);
}
