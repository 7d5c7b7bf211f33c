using System.Globalization;
using System.Text;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>
/// A listing request: every filter is optional but the region (already scope-checked by the caller; ""
/// is the whole system). Sorted newest report first, then by case id.
/// </summary>
public sealed record CaseListQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public required string RegionCode { get; init; }
    public CaseStatus? Status { get; init; }
    public string? CategoryCode { get; init; }
    public string? Department { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public TrafficLight? Light { get; init; }
    public int PageSize { get; init; } = DefaultPageSize;
    public CaseListCursor? After { get; init; }
}

/// <summary>A page of the listing and the cursor of the next one (null on the last page).</summary>
public sealed record CasePage(IReadOnlyList<CaseSummary> Items, CaseListCursor? Next);

/// <summary>Keyset position in the listing order: the last row's report time and case id. Opaque to clients.</summary>
public sealed record CaseListCursor(long ReportedAtMs, string CaseId)
{
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ReportedAtMs.ToString(CultureInfo.InvariantCulture)}:{CaseId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out CaseListCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 200) return false;
        var b64 = text.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        var bytes = new byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, bytes, out var n)) return false;
        var parts = Encoding.UTF8.GetString(bytes, 0, n).Split(':', 2);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || !CaseIds.IsValid(parts[1])) return false;
        cursor = new CaseListCursor(ms, parts[1]);
        return true;
    }
}
