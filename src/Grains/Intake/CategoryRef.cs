using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>
/// How intake channels name a catalogue category: <c>component.0101</c> / <c>event.0102</c> (also the Open311
/// service code), or a bare 4-digit code with a separate kind, or a bare code that only one kind has.
/// </summary>
public static class CategoryRef
{
    public static string ServiceCode(CaseCategory category)
    {
        ArgumentNullException.ThrowIfNull(category);
        return (category.Kind == CaseKind.Component ? "component." : "event.") + category.Code;
    }

    /// <summary>Resolves a reference; false with a message for the client when it names no single category.</summary>
    public static bool TryResolve(CategoryCatalog catalog, string? kind, string? code, out CaseCategory? category, out string? error)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        category = null;
        if (string.IsNullOrWhiteSpace(code)) return Fail("category is required (e.g. component.0101 or event.0102).", out error);
        CaseKind? k = null;
        var dot = code.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            kind ??= code[..dot];
            code = code[(dot + 1)..];
        }
        if (kind is not null)
        {
            if (!Enum.TryParse<CaseKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(kind, out _))
                return Fail($"kind '{kind}' is not Component or Event.", out error);
            k = parsed;
        }
        var matches = k is { } only
            ? [catalog.Find(only, code)]
            : Enum.GetValues<CaseKind>().Select(x => catalog.Find(x, code)).ToArray();
        var found = matches.Where(c => c is not null).ToArray();
        if (found.Length == 0) return Fail($"No category {code}{(k is { } kk ? $" of kind {kk}" : "")} in the catalogue.", out error);
        if (found.Length > 1) return Fail($"Category {code} exists as a Component and as an Event: write component.{code} or event.{code}.", out error);
        category = found[0];
        error = null;
        return true;
    }

    /// <summary>The urgency given, or the least urgent one the category admits (a citizen or a worker need not know).</summary>
    public static bool TryUrgency(CaseCategory category, string? urgency, out Urgency value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(category);
        value = default;
        if (urgency is null)
        {
            value = category.Limits.Keys.Min();
            error = null;
            return true;
        }
        if (!Enum.TryParse(urgency, ignoreCase: true, out value) || !Enum.IsDefined(value) || int.TryParse(urgency, out _))
            return Fail("urgency is Normal, Important or Urgent.", out error);
        if (!category.Limits.ContainsKey(value))
            return Fail($"Category {category.Code} {category.Name} does not admit urgency {value} (admits {string.Join(", ", category.Limits.Keys)}).", out error);
        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
