using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Routing;
using GridGov.Realtime.Grains.Tests.Cases;
using Microsoft.Extensions.Options;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Routing;

public sealed class ResponsibilityTableTests
{
    private static ResponsibilityOptions Options(params ResponsibilityRule[] rules) => new() { Rules = [.. rules] };

    private static ResponsibilityRule Rule(string category, string region, string department, CaseKind? kind = CaseKind.Component) =>
        new() { Kind = kind, Category = category, Region = region, Department = department };

    private static readonly ResponsibilityTable Table = new(Options(
        Rule("0101", "", "city-water"),
        Rule("0101", "310104", "xuhui-water"),
        Rule("01", "31010400101", "grid-utilities"),
        Rule("0101", "3101040", "xuhui-street-water"),
        Rule("0102", "", "sewer", kind: null)));

    [Theory]
    [InlineData("31020000101", "city-water")]          // only the city-wide rule covers it
    [InlineData("31010401001", "xuhui-street-water")]  // the street's rule beats the district's
    [InlineData("31010500101", "city-water")]          // another district
    [InlineData("31010400101", "grid-utilities")]      // the longest region wins even with only the major class
    public void The_most_specific_region_wins(string region, string expected) =>
        Assert.Equal(expected, Table.DepartmentFor(CaseKind.Component, "0101", region));

    [Fact]
    public void A_minor_class_beats_its_major_class_in_the_same_region_and_a_kindless_rule_covers_both_kinds()
    {
        var table = new ResponsibilityTable(Options(Rule("01", "310104", "utilities"), Rule("0101", "310104", "water")));
        Assert.Equal("water", table.DepartmentFor(CaseKind.Component, "0101", "31010400101"));
        Assert.Equal("utilities", table.DepartmentFor(CaseKind.Component, "0102", "31010400101"));
        Assert.Null(table.DepartmentFor(CaseKind.Event, "0101", "31010400101"));
        Assert.Equal("sewer", Table.DepartmentFor(CaseKind.Event, "0102", "31010400101"));
        Assert.Null(Table.DepartmentFor(CaseKind.Event, "0104", "31010400101"));
    }

    [Fact]
    public void Dispatch_without_a_department_takes_the_tables_and_an_explicit_department_overrides_it()
    {
        var workflow = new CaseWorkflow(DefaultCategoryCatalog.Instance, WorkingCalendar.Create(new WorkingCalendarOptions()), Table);
        var state = Filed(workflow);

        var routed = workflow.Decide(CaseId, state, Command(Staff, CaseCommandKind.Dispatch), At(2, 9, 5));
        var e = Assert.IsType<CaseDispatched>(routed.Event);
        Assert.Equal(("grid-utilities", true), (e.Department, e.Routed));
        Assert.Contains("responsibility table", CaseAuditEntry.Of(e).Detail, StringComparison.Ordinal);

        var chosen = workflow.Decide(CaseId, state, Command(Staff, CaseCommandKind.Dispatch, department: "roads"), At(2, 9, 5));
        var explicitly = Assert.IsType<CaseDispatched>(chosen.Event);
        Assert.Equal(("roads", false), (explicitly.Department, explicitly.Routed));
    }

    [Fact]
    public void Dispatch_without_a_department_and_without_a_matching_rule_is_refused_naming_the_department()
    {
        var state = Filed(Workflow);
        var refused = Workflow.Decide(CaseId, state, Command(Staff, CaseCommandKind.Dispatch), At(2, 9, 5));
        Assert.Equal((CaseCommandStatus.Invalid, "department"), (refused.Status, refused.Field));
        Assert.Null(refused.Event);
    }

    [Fact]
    public void The_validator_names_every_bad_rule()
    {
        var validator = new ResponsibilityOptionsValidator(DefaultCategoryCatalog.Instance);
        Assert.True(validator.Validate(null, Options(Rule("0101", "", "water"), Rule("01", "310104", "utilities"))).Succeeded);

        var result = validator.Validate(null, Options(
            Rule("0101", "", "water"),
            Rule("0101", "", "other"),
            Rule("9999", "", "nobody"),
            Rule("0101", "31a", "water"),
            Rule("0101", "310104", "has space"),
            Rule("1", "", "water")));
        Assert.False(result.Succeeded);
        var text = string.Join('\n', result.Failures!);
        Assert.Contains("Rules:1 repeats rule 0", text, StringComparison.Ordinal);
        Assert.Contains("Rules:2:Category 9999 is not in the category catalogue", text, StringComparison.Ordinal);
        Assert.Contains("Rules:3:Region", text, StringComparison.Ordinal);
        Assert.Contains("Rules:4:Department", text, StringComparison.Ordinal);
        Assert.Contains("Rules:5:Category must be", text, StringComparison.Ordinal);
    }

    private static CaseState Filed(CaseWorkflow workflow)
    {
        CaseState? state = null;
        foreach (var (command, at) in new[] { (Report(Worker), At(2, 9)), (Command(Staff, CaseCommandKind.File), At(2, 9, 1)) })
        {
            var d = workflow.Decide(CaseId, state, command, at);
            state = CaseState.Apply(state, d.Event ?? throw new InvalidOperationException(d.Error));
        }
        return state!;
    }
}
