using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Routing;

/// <summary>
/// Looks up the department for a case from <see cref="ResponsibilityOptions"/>. Of the rules that match (kind, category
/// prefix, region prefix) the most specific wins: the longest region first (a district's own department beats the
/// city's), then the longer category (a minor class beats its major class), then a rule naming the kind beats one that
/// does not. The validator rejects two rules with the same kind, category and region, so the winner is unique.
/// </summary>
public sealed class ResponsibilityTable
{
    private readonly ResponsibilityRule[] _rules;

    public ResponsibilityTable(ResponsibilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rules = [.. options.Rules
            .OrderByDescending(r => r.Region.Length)
            .ThenByDescending(r => r.Category.Length)
            .ThenByDescending(r => r.Kind.HasValue)];
    }

    public int Count => _rules.Length;

    /// <summary>The department for a case, or null when no rule matches.</summary>
    public string? DepartmentFor(CaseKind kind, string categoryCode, string regionCode)
    {
        ArgumentNullException.ThrowIfNull(categoryCode);
        ArgumentNullException.ThrowIfNull(regionCode);
        // Rules are few (hundreds at most) and sorted most specific first: the first match is the answer.
        foreach (var r in _rules)
        {
            if (r.Kind is { } k && k != kind) continue;
            if (!categoryCode.StartsWith(r.Category, StringComparison.Ordinal)) continue;
            if (!regionCode.StartsWith(r.Region, StringComparison.Ordinal)) continue;
            return r.Department;
        }
        return null;
    }
}
