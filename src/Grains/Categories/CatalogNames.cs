using GridGov.Realtime.Grains.Calendar;

namespace GridGov.Realtime.Grains.Categories;

/// <summary>
/// Accepted spellings in catalogue files: the enum names, and the Chinese terms of city tables
/// (DOMAIN.md §2, §4) so an imported 立结案标准 does not need translating.
/// </summary>
internal static class CatalogNames
{
    private static readonly Dictionary<string, CaseKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Component"] = CaseKind.Component, ["部件"] = CaseKind.Component,
        ["Event"] = CaseKind.Event, ["事件"] = CaseKind.Event,
    };

    private static readonly Dictionary<string, Urgency> Urgencies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Normal"] = Urgency.Normal, ["一般"] = Urgency.Normal,
        ["Important"] = Urgency.Important, ["重要"] = Urgency.Important,
        ["Urgent"] = Urgency.Urgent, ["紧急"] = Urgency.Urgent,
    };

    private static readonly Dictionary<string, TimeUnit> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EmergencyHours"] = TimeUnit.EmergencyHours, ["紧急工作时"] = TimeUnit.EmergencyHours,
        ["WorkingHours"] = TimeUnit.WorkingHours, ["工作时"] = TimeUnit.WorkingHours,
        ["WorkingDays"] = TimeUnit.WorkingDays, ["工作日"] = TimeUnit.WorkingDays,
    };

    public static bool TryKind(string? text, out CaseKind kind) => Kinds.TryGetValue(text ?? "", out kind);

    public static bool TryUrgency(string? text, out Urgency urgency) => Urgencies.TryGetValue(text ?? "", out urgency);

    public static bool TryUnit(string? text, out TimeUnit unit) => Units.TryGetValue(text ?? "", out unit);

    public const string KindChoices = "Component (部件) or Event (事件)";

    public const string UrgencyChoices = "Normal (一般), Important (重要) or Urgent (紧急)";

    public const string UnitChoices = "EmergencyHours (紧急工作时), WorkingHours (工作时) or WorkingDays (工作日)";
}
