using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;

namespace GridGov.Realtime.Grains.Tests.Categories;

public class CategoryCatalogValidationTests
{
    // A minimal valid catalogue; each test breaks one thing in it.
    private const string Valid = """
    {
      "majorClasses": [ { "kind": "事件", "code": "01", "name": "市容环境" } ],
      "stepDefaults": { "一般": { "filing": { "minutes": 15, "unit": "工作时" }, "dispatch": { "minutes": 15, "unit": "工作时" }, "checking": { "amount": 1, "unit": "工作时" } } },
      "categories": [
        { "kind": "事件", "code": "0102", "name": "暴露垃圾", "filingConditions": ["有暴露垃圾"],
          "limits": { "一般": { "handling": { "amount": 1, "unit": "工作日" } } } }
      ]
    }
    """;

    [Fact]
    public void ChineseNamesAreAccepted()
    {
        var catalog = CategoryCatalogJson.Parse(Valid);

        Assert.Equal(new TimeLimit(1, TimeUnit.WorkingDays), catalog.LimitFor(CaseKind.Event, "0102", Urgency.Normal, CaseStep.Handling));
        Assert.Equal(new TimeLimit(0.25m, TimeUnit.WorkingHours), catalog.LimitFor(CaseKind.Event, "0102", Urgency.Normal, CaseStep.Filing));
    }

    [Theory]
    [InlineData("\"unit\": \"工作日\"", "\"unit\": \"Fortnights\"", "categories[0] (0102 暴露垃圾).limits.Normal.handling: unit 'Fortnights' is unknown")]
    [InlineData("\"amount\": 1, \"unit\": \"工作日\"", "\"amount\": -1, \"unit\": \"工作日\"", "categories[0] (0102 暴露垃圾).limits.Normal.handling: amount -1 must be positive.")]
    [InlineData("\"amount\": 1, \"unit\": \"工作日\"", "\"minutes\": 30, \"unit\": \"工作日\"", "minutes cannot be used with WorkingDays")]
    [InlineData("\"amount\": 1, \"unit\": \"工作日\"", "\"amount\": 1, \"minutes\": 3, \"unit\": \"工作日\"", "give exactly one of amount or minutes")]
    [InlineData("\"code\": \"0102\"", "\"code\": \"0202\"", "Event major class 02 is not defined.")]
    [InlineData("\"code\": \"0102\"", "\"code\": \"102\"", "code '102' must be 4 digits")]
    [InlineData("\"limits\": { \"一般\"", "\"limits\": { \"特急\"", "urgency '特急' is unknown")]
    [InlineData("[\"有暴露垃圾\"]", "[]", "at least one filing condition")]
    [InlineData("\"kind\": \"事件\", \"code\": \"0102\"", "\"kind\": \"Incident\", \"code\": \"0102\"", "kind 'Incident' is unknown")]
    public void OneBrokenFieldGivesOneClearError(string find, string replace, string expected)
    {
        var json = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var errors = CategoryCatalogJson.Validate(json);

        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateCodesAreReported()
    {
        var category = """{ "kind": "事件", "code": "0102", "name": "暴露垃圾", "filingConditions": ["x"], "limits": { "一般": { "handling": { "amount": 1, "unit": "工作日" } } } }""";
        var json = Valid.Replace("\"categories\": [", "\"categories\": [" + category + ",", StringComparison.Ordinal)
            .Replace("\"majorClasses\": [", "\"majorClasses\": [ { \"kind\": \"事件\", \"code\": \"01\", \"name\": \"again\" },", StringComparison.Ordinal);

        var errors = CategoryCatalogJson.Validate(json);

        Assert.Equal(["Duplicate Event major class code 01.", "Duplicate Event category code 0102."], errors);
    }

    [Fact]
    public void MissingStepDefaultIsReportedPerStep()
    {
        var json = Valid.Replace("\"limits\": { \"一般\"", "\"limits\": { \"紧急\"", StringComparison.Ordinal);

        var errors = CategoryCatalogJson.Validate(json);

        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Contains("no limit given and no step default", e, StringComparison.Ordinal));
    }

    [Fact]
    public void BrokenJsonAndEmptyCataloguesAreErrorsNotCrashes()
    {
        Assert.StartsWith("Not valid catalogue JSON", Assert.Single(CategoryCatalogJson.Validate("{ \"categories\": [")), StringComparison.Ordinal);
        Assert.Equal("The catalogue has no categories.", Assert.Single(CategoryCatalogJson.Validate("{}")));
        Assert.Equal("The catalogue is empty.", Assert.Single(CategoryCatalogJson.Validate("null")));
    }

    [Fact]
    public void ParseThrowsWithEveryError()
    {
        var json = Valid.Replace("\"unit\": \"工作日\"", "\"unit\": \"days\"", StringComparison.Ordinal)
            .Replace("暴露垃圾\", \"filingConditions\": [\"有暴露垃圾\"]", "暴露垃圾\", \"filingConditions\": []", StringComparison.Ordinal);

        var ex = Assert.Throws<CategoryCatalogException>(() => CategoryCatalogJson.Parse(json));

        Assert.Equal(2, ex.Errors.Count);
    }
}
