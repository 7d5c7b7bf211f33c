using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Routing;

/// <summary>Checks the table against the catalogue at start-up, so a typo fails the start, not the first dispatch.</summary>
internal sealed class ResponsibilityOptionsValidator(CategoryCatalog catalog) : IValidateOptions<ResponsibilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ResponsibilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var rules = options.Rules ?? [];
        if (rules.Count > ResponsibilityOptions.MaxRules) errors.Add($"{ResponsibilityOptions.SectionName}:Rules has more than {ResponsibilityOptions.MaxRules} rules.");
        var seen = new Dictionary<(CaseKind?, string, string), int>();
        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"{ResponsibilityOptions.SectionName}:Rules:{i}";
            if (rules[i] is not { } r)
            {
                errors.Add($"{at} is empty.");
                continue;
            }
            r.Category ??= "";
            r.Region ??= "";
            if (r.Kind is { } kind && !Enum.IsDefined(kind)) errors.Add($"{at}:Kind must be Component or Event (or absent for both).");
            if (CheckCategory(r) is { } bad) errors.Add($"{at}:Category {bad}");
            if (r.Region.Length > 32 || r.Region.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
                errors.Add($"{at}:Region must be a region code prefix of 0–32 digits (empty: everywhere).");
            if (CaseWorkflow.Text.InvalidId(r.Department))
                errors.Add($"{at}:Department must be a department code of 1–{CaseWorkflow.MaxIdLength} characters without spaces.");
            if (!seen.TryAdd((r.Kind, r.Category, r.Region), i))
                errors.Add($"{at} repeats rule {seen[(r.Kind, r.Category, r.Region)]} (same Kind, Category and Region): which department wins would be ambiguous.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private string? CheckCategory(ResponsibilityRule r)
    {
        var code = r.Category;
        if (code.Length is not (2 or 4) || code.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
            return "must be a 4-digit category (小类) or a 2-digit major class (大类) code.";
        var kinds = r.Kind is { } k ? [k] : Enum.GetValues<CaseKind>();
        var known = code.Length == 4
            ? kinds.Any(kind => catalog.Find(kind, code) is not null)
            : kinds.Any(kind => catalog.MajorClasses.Any(m => m.Kind == kind && m.Code == code));
        return known ? null : $"{code} is not in the category catalogue{(r.Kind is { } kk ? $" for {kk}" : "")}.";
    }
}
