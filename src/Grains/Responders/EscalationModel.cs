namespace GridGov.Realtime.Grains.Responders;

/// <summary>Where an escalation stands.</summary>
public enum EscalationStatus
{
    /// <summary>With a responder, waiting for the acknowledgement until the attempt's due time.</summary>
    Pending,

    /// <summary>Every roster up to the city was tried and nobody acknowledged: still open, flagged, not re-sent.</summary>
    Unanswered,

    /// <summary>Someone took it; nothing more is sent.</summary>
    Acknowledged,
}

/// <summary>How one attempt ended.</summary>
public enum AttemptOutcome
{
    Pending,
    TimedOut,
    Acknowledged,
}

/// <summary>What is escalated: an alert of a worker or an urgent case, with where it happened.</summary>
/// <param name="Kind">"alert" or "case" (<see cref="EscalationKinds"/>).</param>
/// <param name="SubjectId">The alert id or the case id.</param>
/// <param name="Type">The alert type ("sos") or the case category code.</param>
/// <param name="RegionCode">Where it happened (grid or region code): the first roster tried is the nearest one at or above it.</param>
/// <param name="Severity">The alert severity or the case urgency, by name.</param>
public sealed record EscalationSubject(
    string Kind,
    string SubjectId,
    string Type,
    string Summary,
    string RegionCode,
    string? Severity,
    double? Lat,
    double? Lon,
    DateTimeOffset RaisedAt);

public static class EscalationKinds
{
    public const string Alert = "alert";
    public const string Case = "case";

    /// <summary>The escalation id (and grain key) of a subject: "alert:{alertId}" (alert ids are "{workerId}:{type}:{ms}") or "case:{caseId}".</summary>
    public static string IdOf(string kind, string subjectId) => $"{kind}:{subjectId}";
}

/// <summary>One responder asked: which roster they were on, when it was sent, when it was due, how it ended.</summary>
public sealed record EscalationAttempt(
    string Responder,
    string RosterRegion,
    DateTimeOffset SentAt,
    DateTimeOffset DueAt,
    AttemptOutcome Outcome,
    DateTimeOffset? EndedAt = null,
    string? AcknowledgedBy = null);

/// <summary>Who acts on an escalation (from the token or the MQTT connection).</summary>
public sealed record EscalationActor(string UserName, string Role, string? Scope);

/// <summary>Acknowledges (takes) an escalation. <paramref name="Via"/> is "rest" or "mqtt", kept in the history.</summary>
public sealed record AcknowledgeEscalation(EscalationActor Actor, string Via, string? Note = null);

/// <summary>An escalation as operators and responders see it.</summary>
public sealed record EscalationView(
    string Id,
    EscalationSubject Subject,
    EscalationStatus Status,
    string? RosterRegion,
    string? Responder,
    DateTimeOffset? DueAt,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedVia,
    string? Note,
    IReadOnlyList<EscalationAttempt> Attempts)
{
    public bool Open => Status != EscalationStatus.Acknowledged;
}

public enum EscalationCommandStatus
{
    Ok,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

public sealed record EscalationResult(EscalationCommandStatus Status, EscalationView? Escalation, string? Error = null, bool Replayed = false)
{
    public bool Succeeded => Status == EscalationCommandStatus.Ok;

    public static EscalationResult Forbidden(string error) => new(EscalationCommandStatus.Forbidden, null, error);

    public static EscalationResult NotFound(string error) => new(EscalationCommandStatus.NotFound, null, error);

    public static EscalationResult Conflict(string error, EscalationView? now = null) => new(EscalationCommandStatus.Conflict, now, error);

    public static EscalationResult Invalid(string error) => new(EscalationCommandStatus.Invalid, null, error);
}

/// <summary>
/// What a responder's device receives on <c>gridgov/v1/responders/{userId}/escalations</c> (QoS 1, not retained):
/// enough to act without another call, the due time, and where to acknowledge.
/// </summary>
public sealed record EscalationNotice(
    string EscalationId,
    string Kind,
    string SubjectId,
    string Type,
    string Summary,
    string RegionCode,
    string RosterRegion,
    string? Severity,
    double? Lat,
    double? Lon,
    DateTimeOffset RaisedAt,
    DateTimeOffset SentAt,
    DateTimeOffset DueAt,
    string AckTopic);

/// <summary>The escalation grain's persisted state (state name "escalation").</summary>
public sealed class EscalationState
{
    public EscalationSubject? Subject { get; set; }
    public EscalationStatus Status { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The region whose roster holds the escalation now (null before the first send or when no roster had anyone).</summary>
    public string? RosterRegion { get; set; }

    /// <summary>Index of the current responder in <see cref="RosterRegion"/>'s roster as it was when sent.</summary>
    public int ResponderIndex { get; set; }

    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgedVia { get; set; }
    public string? Note { get; set; }
    public List<EscalationAttempt> Attempts { get; set; } = [];
}
