namespace GridGov.Realtime.Grains.Categories;

/// <summary>A 大类, e.g. component 01 公用设施 or event 01 市容环境 (DOMAIN.md §2).</summary>
public sealed record MajorClass(CaseKind Kind, string Code, string Name);
