using System.Text.Json.Serialization;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// One fact in a case's life and one row of the audit trail. Every event names the case, its sequence
/// number (1, 2, ...: the case version after it), the request that caused it, who and when, the status
/// before and after, a note and attachment references. Events that start, pause or move the clock also
/// carry the step, its effective limit and the resulting deadline (null while the clock is stopped), so the
/// case state is a pure fold of its events and the audit trail shows every deadline the case was given.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CaseReported), CaseReported.TypeName)]
[JsonDerivedType(typeof(CaseVerificationRequested), CaseVerificationRequested.TypeName)]
[JsonDerivedType(typeof(CaseVerified), CaseVerified.TypeName)]
[JsonDerivedType(typeof(CaseFiled), CaseFiled.TypeName)]
[JsonDerivedType(typeof(CaseVoided), CaseVoided.TypeName)]
[JsonDerivedType(typeof(CaseDispatched), CaseDispatched.TypeName)]
[JsonDerivedType(typeof(CaseAccepted), CaseAccepted.TypeName)]
[JsonDerivedType(typeof(CaseFeedbackSubmitted), CaseFeedbackSubmitted.TypeName)]
[JsonDerivedType(typeof(CaseCheckRequested), CaseCheckRequested.TypeName)]
[JsonDerivedType(typeof(CaseCheckPassed), CaseCheckPassed.TypeName)]
[JsonDerivedType(typeof(CaseCheckFailed), CaseCheckFailed.TypeName)]
[JsonDerivedType(typeof(CaseClosed), CaseClosed.TypeName)]
[JsonDerivedType(typeof(CaseReturned), CaseReturned.TypeName)]
[JsonDerivedType(typeof(CaseExtensionRequested), CaseExtensionRequested.TypeName)]
[JsonDerivedType(typeof(CaseExtensionApproved), CaseExtensionApproved.TypeName)]
[JsonDerivedType(typeof(CaseExtensionRejected), CaseExtensionRejected.TypeName)]
[JsonDerivedType(typeof(CaseSuspended), CaseSuspended.TypeName)]
[JsonDerivedType(typeof(CaseResumed), CaseResumed.TypeName)]
[JsonDerivedType(typeof(CaseSupervised), CaseSupervised.TypeName)]
[JsonDerivedType(typeof(CaseAnnotated), CaseAnnotated.TypeName)]
[JsonDerivedType(typeof(CaseStepOverdue), CaseStepOverdue.TypeName)]
[JsonDerivedType(typeof(CaseEscalated), CaseEscalated.TypeName)]
public abstract record CaseEvent
{
    public string CaseId { get; init; } = "";
    public long Seq { get; init; }
    public string RequestId { get; init; } = "";
    public string ActorName { get; init; } = "";
    public string ActorRole { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public CaseStatus? From { get; init; }
    public required CaseStatus To { get; init; }
    public string? Note { get; init; }
    public IReadOnlyList<string> Attachments { get; init; } = [];

    /// <summary>The timed step after this event (null: no step runs, e.g. waiting for 核实 or closed).</summary>
    public CaseStep? Step { get; init; }

    /// <summary>The step's effective limit (category × urgency, plus approved extensions).</summary>
    public TimeLimit? Limit { get; init; }

    /// <summary>The step's deadline after this event; null when no step runs or its clock is stopped.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The discriminator stored in the audit trail's <c>type</c> column.</summary>
    [JsonIgnore]
    public abstract string Type { get; }
}

public sealed record CaseReported : CaseEvent
{
    public const string TypeName = "reported";
    [JsonIgnore] public override string Type => TypeName;
    public required CaseKind Kind { get; init; }
    public required string CategoryCode { get; init; }
    public required Urgency Urgency { get; init; }
    public required string RegionCode { get; init; }
    public required string Description { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }

    /// <summary>True for public reports (12345, walk-in...) entered by staff: they need 核实 before filing.</summary>
    public required bool NeedsVerification { get; init; }
}

public sealed record CaseVerificationRequested : CaseEvent
{
    public const string TypeName = "verification_requested";
    [JsonIgnore] public override string Type => TypeName;

    /// <summary>The grid worker sent to verify on site; null when the request names nobody.</summary>
    public string? Worker { get; init; }
}

public sealed record CaseVerified : CaseEvent
{
    public const string TypeName = "verified";
    [JsonIgnore] public override string Type => TypeName;
    public required bool Confirmed { get; init; }
}

public sealed record CaseFiled : CaseEvent
{
    public const string TypeName = "filed";
    [JsonIgnore] public override string Type => TypeName;
    public required CaseKind Kind { get; init; }
    public required string CategoryCode { get; init; }
    public required Urgency Urgency { get; init; }
}

public sealed record CaseVoided : CaseEvent
{
    public const string TypeName = "voided";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseDispatched : CaseEvent
{
    public const string TypeName = "dispatched";
    [JsonIgnore] public override string Type => TypeName;
    public required string Department { get; init; }

    /// <summary>True when the responsibility table chose the department (the dispatcher named none).</summary>
    public bool Routed { get; init; }
}

public sealed record CaseAccepted : CaseEvent
{
    public const string TypeName = "accepted";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseFeedbackSubmitted : CaseEvent
{
    public const string TypeName = "feedback_submitted";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseCheckRequested : CaseEvent
{
    public const string TypeName = "check_requested";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseCheckPassed : CaseEvent
{
    public const string TypeName = "check_passed";
    [JsonIgnore] public override string Type => TypeName;
}

/// <summary>核查 failed: 返工 to the same department; <see cref="ReworkCount"/> is the count after this one.</summary>
public sealed record CaseCheckFailed : CaseEvent
{
    public const string TypeName = "check_failed";
    [JsonIgnore] public override string Type => TypeName;
    public required string Department { get; init; }
    public required int ReworkCount { get; init; }
}

public sealed record CaseClosed : CaseEvent
{
    public const string TypeName = "closed";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseReturned : CaseEvent
{
    public const string TypeName = "returned";
    [JsonIgnore] public override string Type => TypeName;
    public required string Department { get; init; }
}

public sealed record CaseExtensionRequested : CaseEvent
{
    public const string TypeName = "extension_requested";
    [JsonIgnore] public override string Type => TypeName;
    public decimal? RequestedAmount { get; init; }
}

/// <summary>延期 granted: <see cref="Amount"/> more of the handling limit's unit; <see cref="ExtensionCount"/> after this one.</summary>
public sealed record CaseExtensionApproved : CaseEvent
{
    public const string TypeName = "extension_approved";
    [JsonIgnore] public override string Type => TypeName;
    public required decimal Amount { get; init; }
    public required int ExtensionCount { get; init; }
}

public sealed record CaseExtensionRejected : CaseEvent
{
    public const string TypeName = "extension_rejected";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseSuspended : CaseEvent
{
    public const string TypeName = "suspended";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseResumed : CaseEvent
{
    public const string TypeName = "resumed";
    [JsonIgnore] public override string Type => TypeName;
}

/// <summary>A note added to an open case (a sensor repeating its event, a remark); changes neither status nor clock.</summary>
public sealed record CaseAnnotated : CaseEvent
{
    public const string TypeName = "annotated";
    [JsonIgnore] public override string Type => TypeName;
}

public sealed record CaseSupervised : CaseEvent
{
    public const string TypeName = "supervised";
    [JsonIgnore] public override string Type => TypeName;
}

/// <summary>Raised by the case itself when a step's deadline passes (actor <see cref="CaseRoles.System"/>).</summary>
public sealed record CaseStepOverdue : CaseEvent
{
    public const string TypeName = "step_overdue";
    [JsonIgnore] public override string Type => TypeName;
    public required CaseStep OverdueStep { get; init; }
    public required DateTimeOffset Due { get; init; }
}

/// <summary>
/// 督办 up the region chain (DOMAIN.md §3, side flow 督办: "overdue → supervision center → higher-level
/// coordination"), raised by the case itself (actor <see cref="CaseRoles.System"/>) while the step stays
/// overdue: <see cref="Level"/> 1 is the first region above the responsible community (the street), then the
/// district, then the city. Changes neither status nor clock. Not the responder on-call escalation.
/// </summary>
public sealed record CaseEscalated : CaseEvent
{
    public const string TypeName = "escalated";
    [JsonIgnore] public override string Type => TypeName;

    /// <summary>The region whose command centre now supervises the case.</summary>
    public required string ToRegionCode { get; init; }
    public required RegionLevel ToRegionLevel { get; init; }

    /// <summary>1 for the first region above the case's community, 2 for the next, ...</summary>
    public required int Level { get; init; }

    /// <summary>Why, in words (the overdue step and since when, or how long the previous level let it stay overdue).</summary>
    public required string Reason { get; init; }

    public required CaseStep OverdueStep { get; init; }

    /// <summary>The deadline the step missed.</summary>
    public required DateTimeOffset OverdueSince { get; init; }
}
