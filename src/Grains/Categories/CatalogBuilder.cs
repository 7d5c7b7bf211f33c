using System.Globalization;
using GridGov.Realtime.Grains.Calendar;

namespace GridGov.Realtime.Grains.Categories;

/// <summary>Turns a <see cref="CatalogDocument"/> into a <see cref="CategoryCatalog"/>, collecting errors.</summary>
internal sealed class CatalogBuilder(List<string> errors)
{
    public CategoryCatalog? Build(CatalogDocument document)
    {
        var before = errors.Count;
        var majors = BuildMajors(document.MajorClasses ?? []);
        var defaults = BuildDefaults(document.StepDefaults ?? []);
        var categories = new List<CaseCategory>();
        var seen = new HashSet<(CaseKind, string)>();
        var index = 0;
        foreach (var doc in document.Categories ?? [])
        {
            var category = BuildCategory(doc, $"categories[{index++}] ({doc.Code} {doc.Name})", majors, defaults);
            if (category is null) continue;
            if (!seen.Add((category.Kind, category.Code)))
                errors.Add($"Duplicate {category.Kind} category code {category.Code}.");
            else
                categories.Add(category);
        }
        if (categories.Count == 0 && errors.Count == before) errors.Add("The catalogue has no categories.");
        return errors.Count > before ? null : new CategoryCatalog(majors, categories);
    }

    private List<MajorClass> BuildMajors(List<MajorClassDocument> docs)
    {
        var majors = new List<MajorClass>();
        for (var i = 0; i < docs.Count; i++)
        {
            var doc = docs[i];
            var where = $"majorClasses[{i}]";
            // Non-short-circuit &: report every problem of the entry, not just the first.
            var ok = Kind(doc.Kind, where, out var kind) & Code(doc.Code, 2, where) & Name(doc.Name, where);
            if (!ok) continue;
            if (majors.Any(m => m.Kind == kind && m.Code == doc.Code))
                errors.Add($"Duplicate {kind} major class code {doc.Code}.");
            else
                majors.Add(new MajorClass(kind, doc.Code!, doc.Name!));
        }
        return majors;
    }

    private Dictionary<Urgency, StepLimitsDocument> BuildDefaults(Dictionary<string, StepLimitsDocument> docs)
    {
        var defaults = new Dictionary<Urgency, StepLimitsDocument>();
        foreach (var (key, doc) in docs)
        {
            if (!CatalogNames.TryUrgency(key, out var urgency))
                errors.Add($"stepDefaults: urgency '{key}' is unknown; use {CatalogNames.UrgencyChoices}.");
            else if (!defaults.TryAdd(urgency, doc))
                errors.Add($"stepDefaults: urgency {urgency} is given twice.");
        }
        return defaults;
    }

    private CaseCategory? BuildCategory(CategoryDocument doc, string where, List<MajorClass> majors,
        Dictionary<Urgency, StepLimitsDocument> defaults)
    {
        var before = errors.Count;
        Kind(doc.Kind, where, out var kind);
        if (Code(doc.Code, 4, where) && errors.Count == before && !majors.Any(m => m.Kind == kind && m.Code == doc.Code![..2]))
            errors.Add($"{where}: {kind} major class {doc.Code![..2]} is not defined.");
        Name(doc.Name, where);
        var conditions = (doc.FilingConditions ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        if (conditions.Count == 0) errors.Add($"{where}: at least one filing condition (立案条件) is required.");
        if (doc.Limits is null || doc.Limits.Count == 0) errors.Add($"{where}: limits for at least one urgency are required.");

        var limits = new Dictionary<Urgency, StepLimits>();
        foreach (var (key, given) in doc.Limits ?? [])
        {
            if (!CatalogNames.TryUrgency(key, out var urgency))
            {
                errors.Add($"{where}: urgency '{key}' is unknown; use {CatalogNames.UrgencyChoices}.");
                continue;
            }
            var fallback = defaults.GetValueOrDefault(urgency);
            var at = $"{where}.limits.{urgency}";
            var filing = Limit(given.Filing ?? fallback?.Filing, $"{at}.filing");
            var dispatch = Limit(given.Dispatch ?? fallback?.Dispatch, $"{at}.dispatch");
            var handling = Limit(given.Handling, $"{at}.handling");
            var checking = Limit(given.Checking ?? fallback?.Checking, $"{at}.checking");
            if (filing is not null && dispatch is not null && handling is not null && checking is not null)
                limits[urgency] = new StepLimits(filing, dispatch, handling, checking);
        }
        return errors.Count > before ? null : new CaseCategory(kind, doc.Code!, doc.Name!, conditions, limits);
    }

    private TimeLimit? Limit(TimeLimitDocument? doc, string where)
    {
        if (doc is null)
        {
            errors.Add($"{where}: no limit given and no step default for this urgency.");
            return null;
        }
        if (!CatalogNames.TryUnit(doc.Unit, out var unit))
        {
            errors.Add($"{where}: unit '{doc.Unit}' is unknown; use {CatalogNames.UnitChoices}.");
            return null;
        }
        if (doc.Amount is null == doc.Minutes is null)
        {
            errors.Add($"{where}: give exactly one of amount or minutes.");
            return null;
        }
        if (doc.Minutes is { } minutes && unit == TimeUnit.WorkingDays)
        {
            errors.Add($"{where}: minutes cannot be used with WorkingDays.");
            return null;
        }
        var amount = doc.Amount ?? doc.Minutes!.Value / 60m;
        if (amount <= 0)
        {
            errors.Add($"{where}: amount {amount.ToString(CultureInfo.InvariantCulture)} must be positive.");
            return null;
        }
        return new TimeLimit(amount, unit);
    }

    private bool Kind(string? text, string where, out CaseKind kind)
    {
        if (CatalogNames.TryKind(text, out kind)) return true;
        errors.Add($"{where}: kind '{text}' is unknown; use {CatalogNames.KindChoices}.");
        return false;
    }

    private bool Code(string? code, int digits, string where)
    {
        if (code is not null && code.Length == digits && code.All(char.IsAsciiDigit)) return true;
        errors.Add($"{where}: code '{code}' must be {digits} digits.");
        return false;
    }

    private bool Name(string? name, string where)
    {
        if (!string.IsNullOrWhiteSpace(name)) return true;
        errors.Add($"{where}: a name is required.");
        return false;
    }
}
