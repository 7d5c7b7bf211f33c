using GridGov.Realtime.Grains.Calendar;

namespace GridGov.Realtime.Grains.Categories;

/// <summary>
/// The validated component and event catalogue. Build it with <see cref="CategoryCatalogJson.Parse"/>
/// or take <see cref="DefaultCategoryCatalog.Instance"/>.
/// </summary>
public sealed class CategoryCatalog
{
    private readonly Dictionary<(CaseKind, string), CaseCategory> _byCode;

    internal CategoryCatalog(IReadOnlyList<MajorClass> majorClasses, IReadOnlyList<CaseCategory> categories)
    {
        MajorClasses = majorClasses;
        Categories = categories;
        _byCode = categories.ToDictionary(c => (c.Kind, c.Code));
    }

    public IReadOnlyList<MajorClass> MajorClasses { get; }

    public IReadOnlyList<CaseCategory> Categories { get; }

    public CaseCategory? Find(CaseKind kind, string code) => _byCode.GetValueOrDefault((kind, code));

    /// <summary>The step limits, or null if the category is unknown or does not admit that urgency.</summary>
    public StepLimits? LimitsFor(CaseKind kind, string code, Urgency urgency) =>
        Find(kind, code)?.Limits.GetValueOrDefault(urgency);

    public TimeLimit? LimitFor(CaseKind kind, string code, Urgency urgency, CaseStep step) =>
        LimitsFor(kind, code, urgency)?.For(step);
}
