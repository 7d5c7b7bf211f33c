using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Routing;

/// <summary>
/// The responsibility table (责任表, DOMAIN.md §2 "监管主体, 责任主体" and §3 step 3): which professional department
/// a case of a category in a region is dispatched to. Bound from configuration section <see cref="SectionName"/>,
/// validated at start-up against the category catalogue. Empty by default: every dispatch then names its department.
/// </summary>
/// <remarks>
/// <code>
/// "Responsibility": { "Rules": [
///   { "Kind": "Component", "Category": "0101", "Region": "",       "Department": "water" },
///   { "Kind": "Component", "Category": "0101", "Region": "310104", "Department": "xuhui-water" },
///   { "Kind": "Event",     "Category": "01",   "Region": "310104", "Department": "xuhui-cityscape" } ] }
/// </code>
/// </remarks>
public sealed class ResponsibilityOptions
{
    public const string SectionName = "Responsibility";

    public const int MaxRules = 10_000;

    public List<ResponsibilityRule> Rules { get; set; } = [];
}

/// <summary>
/// One row: cases of <see cref="Category"/> (a 4-digit 小类 code, or a 2-digit 大类 code covering its minor classes),
/// of <see cref="Kind"/> (null: both kinds), in a region whose code starts with <see cref="Region"/> ("" = everywhere)
/// go to <see cref="Department"/>.
/// </summary>
public sealed class ResponsibilityRule
{
    public CaseKind? Kind { get; set; }
    public string Category { get; set; } = "";
    public string Region { get; set; } = "";
    public string Department { get; set; } = "";
}
