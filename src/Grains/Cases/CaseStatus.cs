using System.Text.Json.Serialization;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>
/// Where a case is in its lifecycle (DOMAIN.md §3, suggested machine). <see cref="Void"/> and
/// <see cref="Closed"/> are terminal. <see cref="Returned"/>, <see cref="ExtensionPending"/> and
/// <see cref="Suspended"/> are side states: the last two remember the status they left and go back to it.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseStatus>))]
public enum CaseStatus
{
    /// <summary>上报: waiting for 受理/立案 (or for 核实 to be requested for a public report).</summary>
    Reported,

    /// <summary>核实: a grid worker is checking a public report on site before it may be filed.</summary>
    Verifying,

    /// <summary>立案: filed, waiting for 派遣.</summary>
    Filed,

    /// <summary>作废: does not meet a 立案条件. Terminal.</summary>
    Void,

    /// <summary>派遣: sent to a professional department (also after 返工). The handling clock runs from here.</summary>
    Dispatched,

    /// <summary>处置: the department has accepted the task and is handling it.</summary>
    Handling,

    /// <summary>反馈: the department reported the result; waiting for the 核查 request.</summary>
    Feedback,

    /// <summary>核查: a grid worker checks the result on site; once passed, waiting for 结案.</summary>
    Checking,

    /// <summary>结案. Terminal.</summary>
    Closed,

    /// <summary>回退: the department sent it back to the dispatcher (wrong dispatch / not its remit).</summary>
    Returned,

    /// <summary>延期 requested, waiting for approval. The step clock is stopped meanwhile.</summary>
    ExtensionPending,

    /// <summary>挂账: in the problem pool, off the clock until resumed.</summary>
    Suspended,
}

/// <summary>The role names the workflow checks; the same strings as the host's <c>Roles</c> (tokens, user store).</summary>
public static class CaseRoles
{
    public const string Admin = "admin";
    public const string CommandStaff = "command_staff";
    public const string DepartmentHandler = "department_handler";
    public const string GridWorker = "grid_worker";
    public const string Responder = "responder";

    /// <summary>An intake integration (citizen app, 12345 hotline, Open311 client): reports public cases, which start in Verifying.</summary>
    public const string Integration = "integration";

    /// <summary>
    /// The actor of events the system raises by itself: an overdue step, a sensor's automatic report (which starts
    /// in Verifying) and its repeat notes (Annotate). Not a user role: no token can carry it.
    /// </summary>
    public const string System = "system";
}
