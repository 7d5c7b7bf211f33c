namespace GridGov.Realtime.Grains.Categories;

/// <summary>Urgency levels 一般 / 重要 / 紧急 (DOMAIN.md §4; 重要 only in some cities), least urgent first.</summary>
public enum Urgency
{
    /// <summary>一般</summary>
    Normal,

    /// <summary>重要</summary>
    Important,

    /// <summary>紧急</summary>
    Urgent,
}
