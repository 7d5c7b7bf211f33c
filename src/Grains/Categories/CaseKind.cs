namespace GridGov.Realtime.Grains.Categories;

/// <summary>The two axes of the catalogue (DOMAIN.md §2).</summary>
public enum CaseKind
{
    /// <summary>部件: a public facility in outdoor public space.</summary>
    Component,

    /// <summary>事件: a disruption of cityscape or order that a department must restore.</summary>
    Event,
}
