using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Responders;

/// <summary>
/// Who may acknowledge (take) an escalation, the project's choice:
/// <list type="bullet">
/// <item>the responder it is with now (over REST or MQTT);</item>
/// <item>an admin, or command staff whose scope covers the region whose roster holds it now: once it has gone
/// over a street's head to the district, the street's staff can no longer silence it;</item>
/// <item>once unanswered (every roster tried), also any responder it was sent to: a late answer beats none.</item>
/// </list>
/// A responder it has already moved on from gets a conflict naming who has it now, so their device can say so.
/// </summary>
public static class EscalationAuthority
{
    public const string Admin = "admin";
    public const string CommandStaff = "command_staff";
    public const string Responder = "responder";

    public static EscalationResult? Check(EscalationActor actor, EscalationState state, EscalationView view)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(state);
        var current = state.Status == EscalationStatus.Pending ? state.Attempts[^1].Responder : null;
        if (current is not null && actor.Role == Responder && string.Equals(actor.UserName, current, StringComparison.Ordinal)) return null;
        var wasAsked = state.Attempts.Exists(a => string.Equals(a.Responder, actor.UserName, StringComparison.Ordinal));
        if (state.Status == EscalationStatus.Unanswered && wasAsked && actor.Role == Responder) return null;
        if (actor.Role == Admin) return null;
        var holder = state.RosterRegion ?? state.Subject!.RegionCode;
        if (actor.Role == CommandStaff && RegionScopeRule.Covers(actor.Scope, holder)) return null;
        if (wasAsked)
            return EscalationResult.Conflict($"Escalation {view.Id} has moved on to {current ?? "nobody"} (roster of region {holder}).", view);
        return EscalationResult.Forbidden(actor.Role == CommandStaff
            ? $"Escalation {view.Id} is with the roster of region {holder}, outside your region scope."
            : $"Escalation {view.Id} is not with you.");
    }
}
