using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>What a task downlink asks a grid worker to do (DESIGN.md topic scheme: <c>gridgov/v1/terminals/{workerId}/tasks</c>).</summary>
public static class CaseTaskTypes
{
    /// <summary>核实: go and confirm (or not) a public or sensor report on site (DOMAIN.md §3 step 1).</summary>
    public const string Verify = "verify";
}

/// <summary>
/// One task for a grid worker's terminal. <see cref="TaskId"/> is stable for the event that created it (case id and
/// event sequence), so a terminal that receives a QoS 1 redelivery or a republished task can drop the copy.
/// </summary>
public sealed record CaseTask
{
    public required string TaskId { get; init; }
    public required string Type { get; init; }
    public required string CaseId { get; init; }
    public required CaseKind Kind { get; init; }
    public required string CategoryCode { get; init; }
    public string? CategoryName { get; init; }
    public required Urgency Urgency { get; init; }
    public required string RegionCode { get; init; }
    public required string Description { get; init; }
    public double? Lat { get; init; }
    public double? Lon { get; init; }
    public IReadOnlyList<string> Attachments { get; init; } = [];
    public string? Note { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }

    public static CaseTask VerifyFor(CaseView view, string? note)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new CaseTask
        {
            TaskId = $"{view.Id}:{view.Version}",
            Type = CaseTaskTypes.Verify,
            CaseId = view.Id,
            Kind = view.Kind,
            CategoryCode = view.CategoryCode,
            CategoryName = view.CategoryName,
            Urgency = view.Urgency,
            RegionCode = view.RegionCode,
            Description = view.Description,
            Lat = view.Latitude,
            Lon = view.Longitude,
            Attachments = view.Attachments,
            Note = note,
            RequestedAt = view.UpdatedAt,
        };
    }
}
