using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Grains.Geo;
using Microsoft.Extensions.Options;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases;

public sealed class CaseEscalationPolicyTests
{
    private static CaseEscalationPolicy Policy(Action<CaseEscalationOptions>? configure = null, IRegionDirectory? directory = null)
    {
        var options = new CaseEscalationOptions();
        configure?.Invoke(options);
        return new CaseEscalationPolicy(Options.Create(options), new CaseRegionChain(directory));
    }

    /// <summary>A grid case whose handling step went overdue at 14:30 (the pure workflow, no grain).</summary>
    private static CaseState Overdue(Urgency urgency = Urgency.Normal)
    {
        var f = new Flow();
        f.Do(Report(Worker, urgency: urgency, region: "31010400100101"));
        f.Do(Staff, CaseCommandKind.File);
        f.Do(Staff, CaseCommandKind.Dispatch, department: "water");
        var overdue = Workflow.Overdue(f.State!, f.State!.Deadline!.Value)!;
        return CaseState.Apply(f.State, overdue);
    }

    [Theory]
    [InlineData("31010400100101", new[] { "310104001", "310104", "310100" })] // grid: its community owns the step
    [InlineData("310104001001", new[] { "310104001", "310104", "310100" })]
    [InlineData("310104001", new[] { "310104", "310100" })]
    [InlineData("310104", new[] { "310100" })]
    [InlineData("31010400101", new string[0])] // not a code of the scheme: nobody to escalate to
    public void The_chain_runs_from_the_street_above_the_community_up_to_the_city(string region, string[] chain) =>
        Assert.Equal(chain, Policy().ChainOf(region).Select(r => r.Code));

    [Fact]
    public void The_chain_can_start_at_the_district_and_stop_below_the_city() =>
        Assert.Equal(["310104"], Policy(o => { o.FirstTarget = RegionLevel.District; o.TopTarget = RegionLevel.District; }).ChainOf("31010400100101").Select(r => r.Code));

    [Fact]
    public void The_installed_region_tree_decides_the_chain()
    {
        var city = SyntheticCity.Generate();
        var directory = new RegionDirectory();
        directory.Install(city.Tree);
        var grid = city.Tree.All().First(n => n.Level == RegionLevel.Grid);
        var expected = new[] { grid.Parent!.Parent!, grid.Parent.Parent!.Parent!, grid.Parent.Parent.Parent!.Parent! }
            .Select(n => new RegionRef(n.Code, n.Level));
        Assert.Equal(expected, Policy(directory: directory).ChainOf(grid.Code));
        Assert.Equal([RegionLevel.Street, RegionLevel.District, RegionLevel.City], expected.Select(r => r.Level));
    }

    [Fact]
    public void The_first_escalation_is_due_after_the_first_delay_and_the_next_after_the_urgency_interval()
    {
        var state = Overdue(Urgency.Urgent);
        var missed = state.OverdueSince!.Value;
        var first = Policy(o => o.FirstAfter = TimeSpan.FromMinutes(10)).Next(state)!;
        Assert.Equal(("310104001", 1, missed.AddMinutes(10)), (first.Target.Code, first.Level, first.DueAt));

        var escalated = CaseState.Apply(state, Workflow.Escalate(state, first, first.DueAt));
        var second = Policy().Next(escalated)!;
        Assert.Equal(("310104", 2, missed.AddMinutes(40)), (second.Target.Code, second.Level, second.DueAt)); // 紧急: 30 min per level
        Assert.Equal(first.DueAt.AddHours(4), Policy().Next(escalated with { Urgency = Urgency.Normal })!.DueAt); // 一般: 4 h
    }

    [Fact]
    public void A_case_that_is_not_overdue_or_is_paused_or_when_escalation_is_off_is_due_for_nothing()
    {
        var state = Overdue();
        Assert.Null(Policy().Next(state with { Overdue = false, OverdueSince = null }));
        Assert.Null(Policy().Next(state with { Status = CaseStatus.Suspended, ResumeTo = CaseStatus.Dispatched }));
        Assert.Null(Policy(o => o.Enabled = false).Next(state));
        Assert.Null(Policy().Next(state with { EscalationLevel = 3, EscalatedTo = "310100", EscalatedAt = At(2, 16) }));
    }

    [Fact]
    public void An_approved_extension_ends_the_escalation_of_the_step()
    {
        var state = Overdue();
        var escalated = CaseState.Apply(state, Workflow.Escalate(state, Policy().Next(state)!, At(2, 14, 30)));
        Assert.Equal(("310104001", 1), (escalated.EscalatedTo, escalated.EscalationLevel));
        var approved = CaseState.Apply(escalated, new CaseExtensionApproved
        {
            CaseId = escalated.Id, Seq = escalated.Version + 1, RequestId = "x", At = At(2, 15), Amount = 4, ExtensionCount = 1, To = CaseStatus.Handling,
            Step = CaseStep.Handling,
        });
        Assert.Equal((false, 0, (string?)null, (DateTimeOffset?)null), (approved.Overdue, approved.EscalationLevel, approved.EscalatedTo, approved.OverdueSince));
    }

    [Fact]
    public void The_escalation_event_round_trips_through_the_stored_json_and_names_its_request_by_step_and_level()
    {
        var state = Overdue();
        var e = Workflow.Escalate(state, Policy().Next(state)!, At(2, 14, 30));
        Assert.Equal(Json(e), Json(System.Text.Json.JsonSerializer.Deserialize(Json(e), CasesJsonContext.Default.CaseEvent)!));
        Assert.EndsWith(":0:1", e.RequestId, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"escalated\"", Json(e), StringComparison.Ordinal);
        Assert.Contains("\"toRegionLevel\":\"Street\"", Json(e), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FirstAfter", "-00:01:00")]
    [InlineData("NormalInterval", "00:00:10")]
    [InlineData("UrgentInterval", "40.00:00:00")]
    [InlineData("FirstTarget", "Community")]
    [InlineData("TopTarget", "Street")] // above FirstTarget (District) is required
    public void Bad_options_are_refused_naming_the_setting(string field, string value)
    {
        var options = new CaseEscalationOptions { FirstTarget = RegionLevel.District };
        var property = typeof(CaseEscalationOptions).GetProperty(field)!;
        property.SetValue(options, property.PropertyType == typeof(TimeSpan) ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : Enum.Parse<RegionLevel>(value));
        var result = new CaseEscalationOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains($"CaseEscalation:{field}", result.FailureMessage, StringComparison.Ordinal);
        Assert.False(new CaseEscalationOptionsValidator().Validate(null, new CaseEscalationOptions()).Failed);
    }
}
