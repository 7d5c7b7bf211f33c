namespace GridGov.Realtime.Grains.Categories;

// The JSON shape of a catalogue. Enumerations are plain strings here so that an unknown unit or
// urgency becomes a clear validation error with its location, not a serializer exception.

internal sealed class CatalogDocument
{
    public List<MajorClassDocument>? MajorClasses { get; set; }

    /// <summary>Filing, dispatch and checking limits per urgency, used where a category gives none.</summary>
    public Dictionary<string, StepLimitsDocument>? StepDefaults { get; set; }

    public List<CategoryDocument>? Categories { get; set; }
}

internal sealed class MajorClassDocument
{
    public string? Kind { get; set; }

    public string? Code { get; set; }

    public string? Name { get; set; }
}

internal sealed class CategoryDocument
{
    public string? Kind { get; set; }

    public string? Code { get; set; }

    public string? Name { get; set; }

    public List<string>? FilingConditions { get; set; }

    /// <summary>Per urgency the category admits; handling is required, other steps fall back to the defaults.</summary>
    public Dictionary<string, StepLimitsDocument>? Limits { get; set; }
}

internal sealed class StepLimitsDocument
{
    public TimeLimitDocument? Filing { get; set; }

    public TimeLimitDocument? Dispatch { get; set; }

    public TimeLimitDocument? Handling { get; set; }

    public TimeLimitDocument? Checking { get; set; }
}

/// <summary>Either amount (hours, or days for 工作日) or minutes, plus a unit.</summary>
internal sealed class TimeLimitDocument
{
    public decimal? Amount { get; set; }

    public int? Minutes { get; set; }

    public string? Unit { get; set; }
}
