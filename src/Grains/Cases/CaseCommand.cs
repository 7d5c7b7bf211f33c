using GridGov.Realtime.Grains.Geo;
using System.Text.Json.Serialization;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>What a user asks a case to do. Each command appends exactly one event (see <see cref="CaseWorkflow"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseCommandKind>))]
public enum CaseCommandKind
{
    /// <summary>信息收集: opens the case. Only valid on a case that does not exist yet.</summary>
    Report,
    /// <summary>受理员 sends a public report to a grid worker for 核实.</summary>
    RequestVerification,
    /// <summary>核实: the grid worker confirms (or not) the report on site.</summary>
    Verify,
    /// <summary>立案.</summary>
    File,
    /// <summary>作废 (reason mandatory).</summary>
    Void,
    /// <summary>派遣 to a department.</summary>
    Dispatch,
    /// <summary>The department accepts the task and starts handling (签收).</summary>
    Accept,
    /// <summary>处理反馈 with photos.</summary>
    SubmitFeedback,
    /// <summary>受理员 sends 核查 to a grid worker.</summary>
    RequestCheck,
    /// <summary>核查 passed.</summary>
    PassCheck,
    /// <summary>核查 failed: 返工, re-dispatched to the same department and counted (reason mandatory).</summary>
    FailCheck,
    /// <summary>结案.</summary>
    Close,
    /// <summary>回退 to the dispatcher (reason mandatory).</summary>
    Return,
    /// <summary>延期 request (reason mandatory).</summary>
    RequestExtension,
    ApproveExtension,
    /// <summary>Reason mandatory.</summary>
    RejectExtension,
    /// <summary>挂账, approved by the dispatcher (written explanation mandatory).</summary>
    Suspend,
    /// <summary>挂账恢复.</summary>
    Resume,
    /// <summary>督办 (reason mandatory).</summary>
    Supervise,
    /// <summary>Adds a note (and attachments) to an open case without changing its status or clock, e.g. a sensor repeating its event (note mandatory).</summary>
    Annotate,
}

/// <summary>
/// Who acts: user name, role (one of <see cref="CaseRoles"/>), region scope code ("" = whole system,
/// null = none) and, for department handlers, the department they handle for.
/// </summary>
public sealed record CaseActor(string UserName, string Role, string? Scope, string? Department = null)
{
    /// <summary>Same rule as the host's RegionScope.Covers: a code prefix, "" covers everything, null nothing.</summary>
    public bool Covers(string? regionCode) =>
        RegionScopeRule.Covers(Scope, regionCode);
}

/// <summary>
/// A command to a case. <see cref="RequestId"/> makes it idempotent: a repeated request id returns the
/// first result and appends nothing. <see cref="ExpectedVersion"/>, when given, must equal the case's
/// version (optimistic concurrency for clients that show a case and then act on it).
/// Fields a command does not use are ignored.
/// </summary>
public sealed record CaseCommand
{
    public required string RequestId { get; init; }
    public required CaseActor Actor { get; init; }
    public required CaseCommandKind Kind { get; init; }
    public long? ExpectedVersion { get; init; }

    /// <summary>Free text; the mandatory reason for Void, Return, RequestExtension, RejectExtension, Suspend, FailCheck and Supervise.</summary>
    public string? Note { get; init; }

    /// <summary>References (URLs or storage keys) of photos and documents; never the bytes.</summary>
    public IReadOnlyList<string>? Attachments { get; init; }

    // Report (and optionally File, to correct the classification).
    public CaseKind? CaseKind { get; init; }
    public string? CategoryCode { get; init; }
    public Urgency? Urgency { get; init; }
    public string? RegionCode { get; init; }
    public string? Description { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }

    /// <summary>Dispatch: the department (部门) code; null lets the responsibility table choose.</summary>
    public string? Department { get; init; }

    /// <summary>RequestVerification: the grid worker sent to verify (核实) on site.</summary>
    public string? Worker { get; init; }

    /// <summary>Verify: whether the report is confirmed on site (default true).</summary>
    public bool? Confirmed { get; init; }

    /// <summary>RequestExtension / ApproveExtension: extra time in the handling limit's unit (default: one more full limit).</summary>
    public decimal? ExtensionAmount { get; init; }
}

/// <summary>How a command ended; the REST layer maps it to a status code.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseCommandStatus>))]
public enum CaseCommandStatus
{
    /// <summary>Applied (or a repeat of an applied request id).</summary>
    Ok,
    /// <summary>Bad or missing input (400); <see cref="CaseCommandResult.Field"/> names it.</summary>
    Invalid,
    /// <summary>Wrong role, department or region scope (403).</summary>
    Forbidden,
    /// <summary>The case does not exist (404).</summary>
    NotFound,
    /// <summary>Not allowed in the case's current status (409).</summary>
    IllegalTransition,
    /// <summary>Stale expected version, or a request id reused for another command (409).</summary>
    Conflict,
}

/// <summary>The outcome of <see cref="ICaseGrain.Execute"/>: on success the case after the command.</summary>
public sealed record CaseCommandResult(CaseCommandStatus Status, CaseView? View, string? Error = null, string? Field = null, bool Replayed = false)
{
    public bool Succeeded => Status == CaseCommandStatus.Ok;
}
