using GridGov.Realtime.Actors;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>One escalation to on-call responders, keyed by <see cref="EscalationKinds.IdOf"/>.</summary>
public interface IEscalationGrain : IGrainWithStringKey
{
    /// <summary>Opens the escalation and sends it to the first responder; a second start of the same key changes nothing.</summary>
    [OneWay] Task Start(EscalationSubject subject);

    /// <summary>Takes the escalation (see <see cref="EscalationAuthority"/>); durable once it returns Ok. Idempotent for the same user.</summary>
    Task<EscalationResult> Acknowledge(AcknowledgeEscalation command);

    /// <summary>The escalation now, or null if it was never started.</summary>
    Task<EscalationView?> Get();
}
