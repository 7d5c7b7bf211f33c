using System.Security.Cryptography;
using System.Text;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>The intake channels (DOMAIN.md §3 step 1 信息收集): where a report came from.</summary>
public static class IntakeChannels
{
    /// <summary>A grid worker's field report from the terminal (MQTT <c>gridgov/v1/terminals/{id}/report</c>).</summary>
    public const string Terminal = "terminal";

    /// <summary>A citizen's report through the REST API (citizen app, 12345 hotline system).</summary>
    public const string Citizen = "citizen";

    /// <summary>A citizen's report through the Open311 GeoReport v2 API.</summary>
    public const string Open311 = "open311";
}

/// <summary>
/// One report to open a case, the same for every channel. <see cref="DispatchVerification"/>: a public report, sent
/// to the nearest on-duty grid worker for 核实 once it is durable.
/// </summary>
public sealed record CaseIntakeRequest
{
    public required CaseActor Actor { get; init; }
    public required CaseKind Kind { get; init; }
    public required string CategoryCode { get; init; }
    public required Urgency Urgency { get; init; }
    public required string RegionCode { get; init; }
    public required string Description { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public IReadOnlyList<string>? Attachments { get; init; }

    /// <summary>Goes into the report event's note, e.g. the channel and a citizen's contact.</summary>
    public string? Note { get; init; }

    public bool DispatchVerification { get; init; }

    /// <summary>The case's report command for this request (the case id is the grain's business).</summary>
    public CaseCommand ToCommand(string requestId) => new()
    {
        RequestId = requestId,
        Actor = Actor,
        Kind = CaseCommandKind.Report,
        CaseKind = Kind,
        CategoryCode = CategoryCode,
        Urgency = Urgency,
        RegionCode = RegionCode,
        Description = Description,
        Latitude = Latitude,
        Longitude = Longitude,
        Attachments = Attachments,
        Note = Note,
    };

    /// <summary>What makes two submissions the same report (a retry) rather than a request id reused for another one.</summary>
    public string Fingerprint() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
        Actor.UserName, Kind, CategoryCode, Urgency, RegionCode, Description,
        Latitude?.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Longitude?.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string.Join('\u001e', Attachments ?? [])))))[..32];
}

/// <summary>The outcome of an intake: on success the case now, and whether this was a repeat of an earlier submission.</summary>
public sealed record CaseIntakeResult(CaseCommandStatus Status, CaseView? View, string? Error = null, string? Field = null, bool Replayed = false)
{
    public bool Succeeded => Status == CaseCommandStatus.Ok;
}

/// <summary>The intake grain's persisted part: which case this request opened and how far it got.</summary>
public sealed class CaseIntakeState
{
    public string? CaseId { get; set; }
    public string? Fingerprint { get; set; }
    public bool Reported { get; set; }
    public bool VerificationDispatched { get; set; }
}

/// <summary>Intake grain keys: one per channel, principal and request id.</summary>
public static class CaseIntakeKeys
{
    /// <summary>A client's request id: 1–64 printable characters without spaces (the workflow's id rule).</summary>
    public static bool IsValidRequestId(string? requestId) => !CaseWorkflow.Text.InvalidId(requestId);

    /// <summary>
    /// <c>{channel}:{principal}:{requestId}</c> when it fits the workflow's id rules (it doubles as the report's request
    /// id in the audit trail), otherwise <c>{channel}:</c> + a hash of it. The same inputs always give the same key.
    /// </summary>
    public static string For(string channel, string principal, string requestId)
    {
        var text = $"{channel}:{principal}:{requestId}";
        if (text.Length <= CaseWorkflow.MaxIdLength && !CaseWorkflow.Text.InvalidId(text)) return text;
        return channel + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }
}
