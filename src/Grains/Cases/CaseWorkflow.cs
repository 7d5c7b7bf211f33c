using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Routing;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>The workflow's answer: the one event to append, or why nothing happens.</summary>
public sealed record CaseDecision(CaseEvent? Event, CaseCommandStatus Status, string? Error = null, string? Field = null)
{
    public static CaseDecision Accept(CaseEvent e) => new(e, CaseCommandStatus.Ok);

    public static CaseDecision Fail(CaseCommandStatus status, string error, string? field = null) => new(null, status, error, field);
}

/// <summary>
/// The case state machine (DOMAIN.md §3). Pure: given the case (null if it does not exist), a command and
/// the instant, it returns the single event to append or an error, and never changes anything itself.
/// Deadlines come from the catalogue (category × urgency × step) on the working calendar, with approved
/// extensions added to the handling limit and 挂账 / pending 延期 time left out.
/// <para>Who may do what (admin may do everything; every actor's region scope must cover the case's region code):</para>
/// <code>
/// command            from                                   to                    who
/// Report             (new case)                             Reported              command_staff (public report: needs 核实), grid_worker (patrol report)
///                    (new case)                             Verifying             system (a sensor's automatic report), integration (a citizen report): needs 核实 by a grid worker
/// RequestVerification Reported, public report not verified  Verifying             command_staff (受理员), system (automatic verifier choice); names the worker
///                    Verifying, not verified                 Verifying             the same: (re)assigns the verifying worker
/// Verify             Verifying                              Reported (verified)   grid_worker (核实)
/// File               Reported, patrol or verified            Filed                 command_staff (值班长/受理员)
/// Void               Reported, Verifying, Filed             Void                  command_staff (值班长); reason
/// Dispatch           Filed, Returned                        Dispatched            command_staff (派遣员); department, else the responsibility table's
/// Accept             Dispatched                             Handling              department_handler of the case's department
/// SubmitFeedback     Handling                               Feedback              department_handler of the department
/// Return             Dispatched, Handling                   Returned              department_handler of the department; reason
/// RequestExtension   Dispatched, Handling                   ExtensionPending      department_handler of the department; reason
/// ApproveExtension   ExtensionPending                       (status before)       1st: command_staff (值班长); 2nd and later: admin (center leadership)
/// RejectExtension    ExtensionPending                       (status before)       as ApproveExtension; reason
/// Suspend            Filed, Returned, Dispatched, Handling  Suspended             command_staff (派遣员 approves 挂账); reason
/// Resume             Suspended                              (status before)       command_staff
/// RequestCheck       Feedback                               Checking              command_staff (受理员)
/// PassCheck          Checking, not yet passed               Checking (passed)     grid_worker (核查)
/// FailCheck          Checking, not yet passed               Dispatched (返工 +1)  grid_worker; reason; same department
/// Close              Checking, passed                       Closed                command_staff (值班长/受理员)
/// Supervise          any but Void, Closed                   (unchanged)           command_staff (督办); reason
/// Annotate           any but Void, Closed                   (unchanged)           command_staff, system (e.g. a sensor's repeat); note; no clock change
/// (overdue)          a timed step past its deadline         (unchanged)           the system, from the deadline reminder
/// (escalated)        overdue and running, per the policy    (unchanged)           the system, from the escalation reminder (督办 up the region chain)
/// </code>
/// Checks run in this order, so an outsider learns nothing about a case: scope (403), role or department
/// (403), status (409), then the command's fields (400).
/// </summary>
public sealed class CaseWorkflow(CategoryCatalog catalog, WorkingCalendar calendar, ResponsibilityTable? responsibility = null)
{
    public const int MaxNoteLength = 2000;
    public const int MaxAttachments = 20;
    public const int MaxAttachmentLength = 1024;
    public const int MaxIdLength = 64;

    private static readonly CaseActor SystemActor = new(CaseRoles.System, CaseRoles.System, "");

    private sealed record Rule(CaseStatus[] From, string[] Roles, bool Department = false, bool Reason = false);

    private static readonly string[] Staff = [CaseRoles.CommandStaff];
    private static readonly string[] Handler = [CaseRoles.DepartmentHandler];
    private static readonly string[] Worker = [CaseRoles.GridWorker];
    private static readonly string[] StaffOrSystem = [CaseRoles.CommandStaff, CaseRoles.System];
    private static readonly CaseStatus[] ToVerify = [CaseStatus.Reported, CaseStatus.Verifying];

    private static readonly CaseStatus[] Open = [CaseStatus.Reported, CaseStatus.Verifying, CaseStatus.Filed, CaseStatus.Dispatched, CaseStatus.Handling,
        CaseStatus.Feedback, CaseStatus.Checking, CaseStatus.Returned, CaseStatus.ExtensionPending, CaseStatus.Suspended];

    /// <summary>The table above, as data (Report is handled apart: it has no current state).</summary>
    private static readonly Dictionary<CaseCommandKind, Rule> Rules = new()
    {
        [CaseCommandKind.RequestVerification] = new(ToVerify, StaffOrSystem),
        [CaseCommandKind.Verify] = new([CaseStatus.Verifying], Worker),
        [CaseCommandKind.File] = new([CaseStatus.Reported], Staff),
        [CaseCommandKind.Void] = new([CaseStatus.Reported, CaseStatus.Verifying, CaseStatus.Filed], Staff, Reason: true),
        [CaseCommandKind.Dispatch] = new([CaseStatus.Filed, CaseStatus.Returned], Staff),
        [CaseCommandKind.Accept] = new([CaseStatus.Dispatched], Handler, Department: true),
        [CaseCommandKind.SubmitFeedback] = new([CaseStatus.Handling], Handler, Department: true),
        [CaseCommandKind.Return] = new([CaseStatus.Dispatched, CaseStatus.Handling], Handler, Department: true, Reason: true),
        [CaseCommandKind.RequestExtension] = new([CaseStatus.Dispatched, CaseStatus.Handling], Handler, Department: true, Reason: true),
        [CaseCommandKind.ApproveExtension] = new([CaseStatus.ExtensionPending], Staff),
        [CaseCommandKind.RejectExtension] = new([CaseStatus.ExtensionPending], Staff, Reason: true),
        [CaseCommandKind.Suspend] = new([CaseStatus.Filed, CaseStatus.Returned, CaseStatus.Dispatched, CaseStatus.Handling], Staff, Reason: true),
        [CaseCommandKind.Resume] = new([CaseStatus.Suspended], Staff),
        [CaseCommandKind.RequestCheck] = new([CaseStatus.Feedback], Staff),
        [CaseCommandKind.PassCheck] = new([CaseStatus.Checking], Worker),
        [CaseCommandKind.FailCheck] = new([CaseStatus.Checking], Worker, Reason: true),
        [CaseCommandKind.Close] = new([CaseStatus.Checking], Staff),
        [CaseCommandKind.Supervise] = new(Open, Staff, Reason: true),
        [CaseCommandKind.Annotate] = new(Open, StaffOrSystem, Reason: true),
    };

    public CategoryCatalog Catalog => catalog;
    public WorkingCalendar Calendar => calendar;

    /// <summary>Decides a command against the case. Nothing changes on error.</summary>
    public CaseDecision Decide(string caseId, CaseState? state, CaseCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Text.InvalidId(command.RequestId)) return Invalid("requestId", $"A request id is 1–{MaxIdLength} printable characters without spaces.");
        if (command.Actor is null || string.IsNullOrWhiteSpace(command.Actor.UserName) || string.IsNullOrWhiteSpace(command.Actor.Role))
            return Invalid("actor", "The command has no acting user.");
        if (command.Kind == CaseCommandKind.Report)
        {
            return state is null
                ? Report(caseId, command, now)
                : Illegal($"Case {caseId} already exists; a report opens a new case.");
        }
        if (!Enum.IsDefined(command.Kind) || !Rules.TryGetValue(command.Kind, out var rule)) return Invalid("command", $"Unknown command '{command.Kind}'.");
        if (state is null) return CaseDecision.Fail(CaseCommandStatus.NotFound, $"There is no case {caseId}.");

        var actor = command.Actor;
        if (!actor.Covers(state.RegionCode)) return Forbidden($"Case {state.Id} is in region {state.RegionCode}, outside your scope.");
        if (Denied(rule, command.Kind, state, actor) is { } denial) return Forbidden(denial);
        if (!rule.From.Contains(state.Status))
            return Illegal($"{command.Kind} is not allowed while the case is {state.Status} (allowed from {string.Join(", ", rule.From)}).");
        if (Refused(command.Kind, state) is { } why) return Illegal(why);
        if (command.ExpectedVersion is { } expected && expected != state.Version)
            return CaseDecision.Fail(CaseCommandStatus.Conflict, $"The case is at version {state.Version}, not {expected}; reload it and try again.", "expectedVersion");
        if (rule.Reason && string.IsNullOrWhiteSpace(command.Note)) return Invalid("note", $"{command.Kind} needs a reason (note).");
        if (CheckCommon(command) is { } common) return common;

        CaseEvent? e = command.Kind switch
        {
            CaseCommandKind.RequestVerification => new CaseVerificationRequested { Worker = command.Worker, To = CaseStatus.Verifying },
            CaseCommandKind.Verify => new CaseVerified { Confirmed = command.Confirmed ?? true, To = CaseStatus.Reported },
            CaseCommandKind.File => null,
            CaseCommandKind.Void => new CaseVoided { To = CaseStatus.Void },
            CaseCommandKind.Dispatch => null,
            CaseCommandKind.Accept => new CaseAccepted { To = CaseStatus.Handling },
            CaseCommandKind.SubmitFeedback => new CaseFeedbackSubmitted { To = CaseStatus.Feedback },
            CaseCommandKind.Return => new CaseReturned { Department = state.Department!, To = CaseStatus.Returned },
            CaseCommandKind.RequestExtension => null,
            CaseCommandKind.ApproveExtension => null,
            CaseCommandKind.RejectExtension => new CaseExtensionRejected { To = state.ResumeTo!.Value },
            CaseCommandKind.Suspend => new CaseSuspended { To = CaseStatus.Suspended },
            CaseCommandKind.Resume => new CaseResumed { To = state.ResumeTo!.Value },
            CaseCommandKind.RequestCheck => new CaseCheckRequested { To = CaseStatus.Checking },
            CaseCommandKind.PassCheck => new CaseCheckPassed { To = CaseStatus.Checking },
            CaseCommandKind.FailCheck => new CaseCheckFailed { Department = state.Department!, ReworkCount = state.ReworkCount + 1, To = CaseStatus.Dispatched },
            CaseCommandKind.Close => new CaseClosed { To = CaseStatus.Closed },
            CaseCommandKind.Supervise => new CaseSupervised { To = state.Status },
            CaseCommandKind.Annotate => new CaseAnnotated { To = state.Status },
            _ => null,
        };

        if (e is null)
        {
            var built = command.Kind switch
            {
                CaseCommandKind.File => File(state, command, now),
                CaseCommandKind.Dispatch => Dispatch(state, command),
                CaseCommandKind.RequestExtension => RequestExtension(command, now),
                CaseCommandKind.ApproveExtension => ApproveExtension(state, command, now),
                _ => CaseDecision.Fail(CaseCommandStatus.Invalid, $"Unknown command '{command.Kind}'.", "command"),
            };
            if (built.Event is null) return built;
            e = built.Event;
        }
        return CaseDecision.Accept(Complete(state, e, command, command.Actor, now));
    }

    /// <summary>
    /// The overdue event for the current step if its deadline has passed and none was recorded yet, else null.
    /// Its request id names the step and the version it started at, so a reminder delivered twice appends once.
    /// </summary>
    public CaseEvent? Overdue(CaseState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Overdue || state.Step is not { } step || state.Deadline is not { } due || now < due) return null;
        var e = new CaseStepOverdue
        {
            OverdueStep = step,
            Due = due,
            To = state.Status,
        };
        var requestId = $"overdue:{step}:{state.StepStartedAt!.Value.ToUnixTimeMilliseconds()}:{state.ExtensionCount}";
        return Complete(state, e, new CaseCommand { RequestId = requestId, Actor = SystemActor, Kind = CaseCommandKind.Supervise }, SystemActor, now);
    }

    /// <summary>
    /// The <see cref="CaseEscalated"/> for <paramref name="next"/> (see <see cref="CaseEscalationPolicy"/>), raised by the
    /// system. Its request id names the step, the version it started at, the extension count and the level, so a
    /// reminder delivered twice appends once.
    /// </summary>
    public CaseEvent Escalate(CaseState state, CaseEscalationStep next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(next);
        if (state is not { Step: { } step, OverdueSince: { } since }) throw new InvalidOperationException($"Case {state.Id} has no overdue step to escalate.");
        var e = new CaseEscalated
        {
            ToRegionCode = next.Target.Code,
            ToRegionLevel = next.Target.Level,
            Level = next.Level,
            Reason = next.Reason,
            OverdueStep = step,
            OverdueSince = since,
            To = state.Status,
        };
        var requestId = $"escalation:{step}:{state.StepStartedAt!.Value.ToUnixTimeMilliseconds()}:{state.ExtensionCount}:{next.Level}";
        return Complete(state, e, new CaseCommand { RequestId = requestId, Actor = SystemActor, Kind = CaseCommandKind.Supervise }, SystemActor, now);
    }

    /// <summary>The step limit for a case now: the catalogue's, plus approved extensions for handling.</summary>
    public TimeLimit? LimitFor(CaseState state, CaseStep step)
    {
        ArgumentNullException.ThrowIfNull(state);
        var limit = catalog.LimitFor(state.Kind, state.CategoryCode, state.Urgency, step);
        if (limit is null) return null;
        return step == CaseStep.Handling && state.ExtendedBy > 0 ? new TimeLimit(limit.Amount + state.ExtendedBy, limit.Unit) : limit;
    }

    private CaseDecision Report(string caseId, CaseCommand c, DateTimeOffset now)
    {
        var actor = c.Actor;
        if (actor.Role is not (CaseRoles.CommandStaff or CaseRoles.GridWorker or CaseRoles.Admin or CaseRoles.System or CaseRoles.Integration))
            return Forbidden($"Role {actor.Role} may not report cases; command staff, grid workers, intake integrations and sensors (system) do.");
        if (!IsRegionCode(c.RegionCode)) return Invalid("regionCode", "A region (grid) code of 1–32 digits is required.");
        if (!actor.Covers(c.RegionCode)) return Forbidden($"Region {c.RegionCode} is outside your scope.");
        if (c.CaseKind is not { } kind || !Enum.IsDefined(kind)) return Invalid("kind", "kind is required: Component (部件) or Event (事件).");
        if (string.IsNullOrWhiteSpace(c.CategoryCode)) return Invalid("categoryCode", "categoryCode is required.");
        if (catalog.Find(kind, c.CategoryCode) is not { } category) return Invalid("categoryCode", $"No {kind} category {c.CategoryCode} in the catalogue.");
        if (c.Urgency is not { } urgency || !Enum.IsDefined(urgency)) return Invalid("urgency", "urgency is required: Normal, Important or Urgent.");
        if (!category.Limits.ContainsKey(urgency)) return Invalid("urgency", $"Category {category.Code} {category.Name} does not admit urgency {urgency} (admits {string.Join(", ", category.Limits.Keys)}).");
        if (string.IsNullOrWhiteSpace(c.Description) || c.Description.Length > MaxNoteLength) return Invalid("description", $"A description of 1–{MaxNoteLength} characters is required.");
        if (c.Latitude is { } lat && (double.IsNaN(lat) || lat is < -90 or > 90)) return Invalid("latitude", "latitude must be between -90 and 90.");
        if (c.Longitude is { } lon && (double.IsNaN(lon) || lon is < -180 or > 180)) return Invalid("longitude", "longitude must be between -180 and 180.");
        if ((c.Latitude is null) != (c.Longitude is null)) return Invalid(c.Latitude is null ? "latitude" : "longitude", "Give both latitude and longitude, or neither.");
        if (CheckCommon(c) is { } common) return common;
        var e = new CaseReported
        {
            Kind = kind,
            CategoryCode = category.Code,
            Urgency = urgency,
            RegionCode = c.RegionCode,
            Description = c.Description.Trim(),
            Latitude = c.Latitude,
            Longitude = c.Longitude,
            NeedsVerification = actor.Role != CaseRoles.GridWorker,
            // A sensor's or a citizen's report goes straight to 核实: nobody of ours has looked at it yet (DOMAIN.md §3 step 1).
            To = actor.Role is CaseRoles.System or CaseRoles.Integration ? CaseStatus.Verifying : CaseStatus.Reported,
        };
        return CaseDecision.Accept(Complete(null, e with { CaseId = caseId }, c, actor, now));
    }

    private CaseDecision File(CaseState s, CaseCommand c, DateTimeOffset now)
    {
        var kind = c.CaseKind ?? s.Kind;
        var code = string.IsNullOrWhiteSpace(c.CategoryCode) ? s.CategoryCode : c.CategoryCode;
        var urgency = c.Urgency ?? s.Urgency;
        if (!Enum.IsDefined(kind)) return Invalid("kind", "kind must be Component or Event.");
        if (catalog.Find(kind, code) is not { } category) return Invalid("categoryCode", $"No {kind} category {code} in the catalogue.");
        if (!Enum.IsDefined(urgency) || !category.Limits.ContainsKey(urgency)) return Invalid("urgency", $"Category {category.Code} does not admit urgency {urgency}.");
        return CaseDecision.Accept(new CaseFiled { Kind = kind, CategoryCode = code, Urgency = urgency, To = CaseStatus.Filed });
    }

    // 派遣 is routed by the responsibility table (DOMAIN.md §3 step 3) unless the dispatcher names the department.
    private CaseDecision Dispatch(CaseState s, CaseCommand c)
    {
        if (c.Department is not null)
        {
            return Text.InvalidId(c.Department)
                ? Invalid("department", $"Dispatch needs a department code (1–{MaxIdLength} characters, no spaces).")
                : CaseDecision.Accept(new CaseDispatched { Department = c.Department, To = CaseStatus.Dispatched });
        }
        return responsibility?.DepartmentFor(s.Kind, s.CategoryCode, s.RegionCode) is { } routed
            ? CaseDecision.Accept(new CaseDispatched { Department = routed, Routed = true, To = CaseStatus.Dispatched })
            : Invalid("department", $"Dispatch needs a department: none was given and the responsibility table has none for {s.Kind} {s.CategoryCode} in region {s.RegionCode}.");
    }

    private static CaseDecision RequestExtension(CaseCommand c, DateTimeOffset now) =>
        c.ExtensionAmount is { } a && a is <= 0 or > 1000
            ? Invalid("extensionAmount", "extensionAmount must be positive (in the handling limit's unit) and at most 1000.")
            : CaseDecision.Accept(new CaseExtensionRequested { RequestedAmount = c.ExtensionAmount, To = CaseStatus.ExtensionPending });

    private CaseDecision ApproveExtension(CaseState s, CaseCommand c, DateTimeOffset now)
    {
        if (c.ExtensionAmount is { } a && a is <= 0 or > 1000)
            return Invalid("extensionAmount", "extensionAmount must be positive (in the handling limit's unit) and at most 1000.");
        // The system's standard extension (值班长 grants it): one more full handling limit, unless the approver says otherwise.
        var standard = catalog.LimitFor(s.Kind, s.CategoryCode, s.Urgency, CaseStep.Handling)?.Amount ?? 1m;
        return CaseDecision.Accept(new CaseExtensionApproved
        {
            Amount = c.ExtensionAmount ?? standard,
            ExtensionCount = s.ExtensionCount + 1,
            To = s.ResumeTo!.Value,
        });
    }

    // Fills in the envelope (who, when, which request, what sequence) and the step timing after the event.
    private CaseEvent Complete(CaseState? state, CaseEvent e, CaseCommand c, CaseActor actor, DateTimeOffset now)
    {
        e = e with
        {
            CaseId = state?.Id ?? e.CaseId,
            Seq = (state?.Version ?? 0) + 1,
            RequestId = c.RequestId,
            ActorName = actor.UserName,
            ActorRole = actor.Role,
            At = now,
            From = state?.Status,
            Note = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim(),
            Attachments = c.Attachments is { Count: > 0 } list ? [.. list] : [],
        };
        var after = CaseState.Apply(state, e);
        if (after.Step is not { } step) return e with { Step = null, Limit = null, Deadline = null };
        var limit = LimitFor(after, step);
        if (limit is null) return e with { Step = step, Limit = null, Deadline = null };
        var deadline = calendar.Deadline(after.StepStartedAt!.Value, limit, after.Pauses);
        return e with { Step = step, Limit = limit, Deadline = deadline };
    }

    private static string? Denied(Rule rule, CaseCommandKind kind, CaseState s, CaseActor actor)
    {
        if (actor.Role == CaseRoles.Admin) return null;
        if (kind is CaseCommandKind.ApproveExtension or CaseCommandKind.RejectExtension && s.ExtensionCount >= 1)
            return "A second extension needs center leadership approval (admin).";
        if (!rule.Roles.Contains(actor.Role))
            return $"{kind} is for {string.Join(" or ", rule.Roles)}, not {actor.Role}.";
        if (rule.Department && !string.Equals(actor.Department, s.Department, StringComparison.Ordinal))
            return $"The case is dispatched to department {s.Department ?? "(none)"}, not yours ({actor.Department ?? "(none)"}).";
        return null;
    }

    // Status-dependent refusals beyond the from-list (409): null when the command may go ahead.
    private static string? Refused(CaseCommandKind kind, CaseState s) => kind switch
    {
        CaseCommandKind.RequestVerification when !s.NeedsVerification => "A patrol report needs no 核实; file it.",
        CaseCommandKind.RequestVerification when s.Verified is not null => "The report has already been verified.",
        CaseCommandKind.File when !s.Fileable => "A public report must be verified (核实) before it is filed.",
        CaseCommandKind.File when s.Verified == false => "The report was not confirmed on site; void it instead.",
        CaseCommandKind.PassCheck or CaseCommandKind.FailCheck when s.CheckPassed => "The check has already passed; close the case.",
        CaseCommandKind.Close when !s.CheckPassed => "The case can be closed only after a passed check (核查).",
        _ => null,
    };

    private static CaseDecision? CheckCommon(CaseCommand c)
    {
        if (c.Note is { Length: > MaxNoteLength }) return Invalid("note", $"note is at most {MaxNoteLength} characters.");
        if (c.Worker is not null && Text.InvalidId(c.Worker)) return Invalid("worker", $"worker is a worker id of 1–{MaxIdLength} characters without spaces.");
        if (c.Attachments is { } list)
        {
            if (list.Count > MaxAttachments) return Invalid("attachments", $"At most {MaxAttachments} attachments.");
            if (list.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > MaxAttachmentLength || a.Any(char.IsWhiteSpace) || a.Any(char.IsControl)))
                return Invalid("attachments", $"Each attachment is a reference (URL or storage key) of 1–{MaxAttachmentLength} characters without spaces.");
        }
        return null;
    }

    public static bool IsRegionCode([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? code) =>
        code is { Length: > 0 and <= 32 } && code.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    private static CaseDecision Invalid(string field, string error) => CaseDecision.Fail(CaseCommandStatus.Invalid, error, field);

    private static CaseDecision Forbidden(string error) => CaseDecision.Fail(CaseCommandStatus.Forbidden, error);

    private static CaseDecision Illegal(string error) => CaseDecision.Fail(CaseCommandStatus.IllegalTransition, error);

    internal static class Text
    {
        public static bool InvalidId(string? id) =>
            id is null || id.Length is 0 or > MaxIdLength || id.Any(ch => ch <= ' ' || ch == '\u007f' || char.IsWhiteSpace(ch));
    }
}
