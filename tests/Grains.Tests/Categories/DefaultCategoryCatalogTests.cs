using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Tests.Categories;

public class DefaultCategoryCatalogTests
{
    private static readonly CategoryCatalog Catalog = DefaultCategoryCatalog.Instance;

    [Fact]
    public void DefaultCatalogueIsValid() => Assert.Empty(CategoryCatalogJson.Validate(DefaultCategoryCatalog.Json));

    [Fact]
    public void MajorClassesFollowDomainSection2()
    {
        Assert.Equal("公用设施", Catalog.MajorClasses.Single(m => m is { Kind: CaseKind.Component, Code: "01" }).Name);
        Assert.Equal("市容环境", Catalog.MajorClasses.Single(m => m is { Kind: CaseKind.Event, Code: "01" }).Name);
        Assert.Equal(7, Catalog.MajorClasses.Count(m => m.Kind == CaseKind.Component));
        Assert.Equal(6, Catalog.MajorClasses.Count(m => m.Kind == CaseKind.Event));
    }

    [Fact]
    public void ManholeCoverMissingIsTwoEmergencyHours()
    {
        var limits = Catalog.LimitsFor(CaseKind.Component, "0101", Urgency.Urgent);

        Assert.NotNull(limits);
        Assert.Equal(new TimeLimit(2, TimeUnit.EmergencyHours), limits.Handling);
        Assert.Equal(new TimeLimit(4, TimeUnit.WorkingHours), Catalog.LimitFor(CaseKind.Component, "0101", Urgency.Normal, CaseStep.Handling));
    }

    [Fact]
    public void ExposedGarbageIsOneWorkingDayAndDirtyRoadFiveWorkingHours()
    {
        Assert.Equal(new TimeLimit(1, TimeUnit.WorkingDays), Catalog.LimitFor(CaseKind.Event, "0102", Urgency.Normal, CaseStep.Handling));
        Assert.Equal(new TimeLimit(5, TimeUnit.WorkingHours), Catalog.LimitFor(CaseKind.Event, "0104", Urgency.Normal, CaseStep.Handling));
        Assert.Equal("暴露垃圾", Catalog.Find(CaseKind.Event, "0102")?.Name);
    }

    [Fact]
    public void FilingPlusDispatchIsTenMinutesUrgentAndThirtyOtherwise()
    {
        var urgent = Catalog.LimitsFor(CaseKind.Component, "0101", Urgency.Urgent)!;
        var normal = Catalog.LimitsFor(CaseKind.Component, "0101", Urgency.Normal)!;

        Assert.Equal(10m, decimal.Round((urgent.Filing.Amount + urgent.Dispatch.Amount) * 60, 10));
        Assert.Equal(30m, decimal.Round((normal.Filing.Amount + normal.Dispatch.Amount) * 60, 10));
        Assert.Equal(new TimeLimit(1, TimeUnit.EmergencyHours), urgent.Checking);
        Assert.Equal(new TimeLimit(1, TimeUnit.WorkingHours), normal.Checking);
    }

    [Fact]
    public void CodesSplitIntoMajorAndMinor()
    {
        var cover = Catalog.Find(CaseKind.Component, "0101")!;

        Assert.Equal("01", cover.MajorCode);
        Assert.Equal("01", cover.MinorCode);
        Assert.NotEmpty(cover.FilingConditions);
    }

    [Fact]
    public void UnknownCategoryOrUrgencyHasNoLimits()
    {
        Assert.Null(Catalog.Find(CaseKind.Event, "9999"));
        Assert.Null(Catalog.LimitsFor(CaseKind.Event, "0104", Urgency.Urgent));
        // Same code, other axis: component 0102 is a sewer cover, event 0102 exposed garbage.
        Assert.Equal("污水井盖", Catalog.Find(CaseKind.Component, "0102")?.Name);
    }
}
