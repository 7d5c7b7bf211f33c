using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.Grains.Warnings;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Realtime.Grains.Tests.Warnings.WarningFixture;

namespace GridGov.Realtime.Grains.Tests.Warnings;

public sealed class WarningGrainTests
{
    public static TheoryData<string, WarningLevel, bool> IssuerMatrix => new()
    {
        // issuer (by scope level) × level → allowed (defaults: red/orange city, yellow district+, blue street+)
        { "city", WarningLevel.Red, true },
        { "city", WarningLevel.Orange, true },
        { "city", WarningLevel.Yellow, true },
        { "city", WarningLevel.Blue, true },
        { "district", WarningLevel.Red, false },
        { "district", WarningLevel.Orange, false },
        { "district", WarningLevel.Yellow, true },
        { "district", WarningLevel.Blue, true },
        { "street", WarningLevel.Red, false },
        { "street", WarningLevel.Orange, false },
        { "street", WarningLevel.Yellow, false },
        { "street", WarningLevel.Blue, true },
    };

    [Theory]
    [MemberData(nameof(IssuerMatrix))]
    public async Task IssuerScopeLevelDecidesWhichLevelsMayBeIssued(string issuer, WarningLevel level, bool allowed)
    {
        await using var f = await StartAsync();
        var actor = issuer switch { "city" => CityStaff, "district" => District1Staff, _ => Street11Staff };
        // Issue on the issuer's own street (district or above for orange/red, so use the district for those).
        var region = level >= WarningLevel.Orange ? District1 : Street11;
        var result = await f.IssueAsync(region, actor, level);
        Assert.Equal(allowed ? WarningCommandStatus.Ok : WarningCommandStatus.Forbidden, result.Status);
    }

    [Fact]
    public async Task AStreetUserCannotIssueOrangeAndNobodyIssuesOrangeBelowADistrict()
    {
        await using var f = await StartAsync();
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.IssueAsync(District1, Street11Staff, WarningLevel.Orange)).Status); // scope does not cover the district
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.IssueAsync(Street11, Street11Staff, WarningLevel.Orange)).Status);
        var belowDistrict = await f.IssueAsync(Street11, CityStaff, WarningLevel.Orange);
        Assert.Equal(WarningCommandStatus.Invalid, belowDistrict.Status);
        Assert.Equal("level", belowDistrict.Field);
        Assert.Equal(WarningCommandStatus.Invalid, (await f.IssueAsync(Street11, Admin, WarningLevel.Red)).Status);
    }

    [Fact]
    public async Task OnlyCommandStaffInScopeOrAdminsIssue()
    {
        await using var f = await StartAsync();
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.IssueAsync(District1, Worker, WarningLevel.Blue)).Status);
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.IssueAsync(District1, District2Staff, WarningLevel.Blue)).Status);
        Assert.Equal(WarningCommandStatus.Ok, (await f.IssueAsync(CityNode, Admin, WarningLevel.Red)).Status);
        Assert.Equal(WarningCommandStatus.NotFound, (await f.Grains.GetGrain<IWarningGrain>("999999").Issue(new IssueWarning("x", Admin, WarningLevel.Blue, "r"))).Status);
    }

    [Fact]
    public async Task ThresholdsAreConfiguration()
    {
        await using var f = await StartAsync(o => o.YellowIssuer = GridGov.Realtime.Grains.Geo.RegionLevel.Street);
        Assert.Equal(WarningCommandStatus.Ok, (await f.IssueAsync(Street11, Street11Staff, WarningLevel.Yellow)).Status);
    }

    [Fact]
    public async Task MissingReasonOrRequestIdIsInvalidWithTheFieldNamed()
    {
        await using var f = await StartAsync();
        var noReason = await f.IssueAsync(District1, District1Staff, WarningLevel.Blue, " ");
        Assert.Equal((WarningCommandStatus.Invalid, "reason"), (noReason.Status, noReason.Field));
        var noRequest = await f.Region(District1).Issue(new IssueWarning("", District1Staff, WarningLevel.Blue, "r"));
        Assert.Equal((WarningCommandStatus.Invalid, "requestId"), (noRequest.Status, noRequest.Field));
    }

    [Fact]
    public async Task APeerDistrictCannotChangeOrLiftAnotherDistrictsWarning()
    {
        await using var f = await StartAsync();
        var w = (await f.IssueAsync(District1, District1Staff, WarningLevel.Yellow)).Warning!;
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.LiftAsync(District1, District2Staff, w.Id)).Status);
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.ChangeAsync(District1, District2Staff, w.Id, WarningLevel.Blue)).Status);
        // Same scope but not the issuer: not a superior either.
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.LiftAsync(District1, District1Deputy, w.Id)).Status);
        // A street below is no superior.
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.LiftAsync(District1, Street11Staff, w.Id)).Status);
        Assert.True((await f.Region(District1).Highest())!.Active);
    }

    [Fact]
    public async Task TheCityUserCanLowerADistrictsWarningAndTheIssuerRaiseWithinItsAuthority()
    {
        await using var f = await StartAsync();
        var w = (await f.IssueAsync(District1, District1Staff, WarningLevel.Yellow)).Warning!;
        var lowered = await f.ChangeAsync(District1, CityStaff, w.Id, WarningLevel.Blue, "rain easing");
        Assert.Equal(WarningCommandStatus.Ok, lowered.Status);
        Assert.Equal(WarningLevel.Blue, lowered.Warning!.Level);
        // The issuer may raise back to yellow but not to orange (city-level authority).
        Assert.Equal(WarningCommandStatus.Ok, (await f.ChangeAsync(District1, District1Staff, w.Id, WarningLevel.Yellow)).Status);
        Assert.Equal(WarningCommandStatus.Forbidden, (await f.ChangeAsync(District1, District1Staff, w.Id, WarningLevel.Orange)).Status);
        Assert.Equal(WarningCommandStatus.Ok, (await f.ChangeAsync(District1, CityStaff, w.Id, WarningLevel.Red)).Status);
        Assert.Equal(WarningCommandStatus.Invalid, (await f.ChangeAsync(District1, CityStaff, w.Id, WarningLevel.Red)).Status);
    }

    [Fact]
    public async Task AnAdminCanChangeAndLiftAnyWarning()
    {
        await using var f = await StartAsync();
        var w = (await f.IssueAsync(CityNode, CityStaff, WarningLevel.Orange)).Warning!;
        Assert.Equal(WarningCommandStatus.Ok, (await f.ChangeAsync(CityNode, Admin, w.Id, WarningLevel.Red)).Status);
        Assert.Equal(WarningCommandStatus.Ok, (await f.LiftAsync(CityNode, Admin, w.Id)).Status);
        Assert.Equal(WarningCommandStatus.Conflict, (await f.LiftAsync(CityNode, Admin, w.Id)).Status);
        Assert.Equal(WarningCommandStatus.Conflict, (await f.ChangeAsync(CityNode, Admin, w.Id, WarningLevel.Blue)).Status);
        Assert.Equal(WarningCommandStatus.NotFound, (await f.LiftAsync(CityNode, Admin, "nope")).Status);
    }

    [Fact]
    public async Task EffectiveLevelIsTheHighestAmongTheRegionAndItsAncestors()
    {
        await using var f = await StartAsync();
        Assert.Null(await f.EffectiveAsync(Grid111));
        await f.IssueAsync(CityNode, CityStaff, WarningLevel.Yellow);
        var red = (await f.IssueAsync(District1, CityStaff, WarningLevel.Red)).Warning!;

        Assert.Equal(WarningLevel.Red, await f.EffectiveAsync(District1));
        Assert.Equal(WarningLevel.Red, await f.EffectiveAsync(Street11));
        Assert.Equal(WarningLevel.Red, await f.EffectiveAsync(Grid111));
        Assert.Equal(WarningLevel.Yellow, await f.EffectiveAsync(District2));
        Assert.Equal(WarningLevel.Yellow, await f.EffectiveAsync(CityNode));
        var effective = await f.Levels.GetEffectiveAsync(Grid111.Code);
        Assert.Equal((District1.Code, red.Id), (effective!.SourceRegion, effective.Warning!.Id));
        Assert.Null(await f.Levels.GetEffectiveAsync("999999"));

        // Lifting the district's red restores the city's yellow below it.
        Assert.Equal(WarningCommandStatus.Ok, (await f.LiftAsync(District1, CityStaff, red.Id)).Status);
        Assert.Equal(WarningLevel.Yellow, await f.EffectiveAsync(Grid111));
        Assert.Equal(WarningLevel.Yellow, await f.EffectiveAsync(District1));
    }

    [Fact]
    public async Task ALowerLocalWarningDoesNotHideAHigherAncestorOne()
    {
        await using var f = await StartAsync();
        await f.IssueAsync(CityNode, CityStaff, WarningLevel.Orange);
        await f.IssueAsync(Street11, Street11Staff, WarningLevel.Blue);
        Assert.Equal(WarningLevel.Orange, await f.EffectiveAsync(Grid111));
    }

    [Fact]
    public async Task RepeatedRequestIdsAreAppliedOnce()
    {
        await using var f = await StartAsync();
        var issue = new IssueWarning("req-1", District1Staff, WarningLevel.Blue, "fog");
        var first = await f.Region(District1).Issue(issue);
        var again = await f.Region(District1).Issue(issue);
        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Warning!.Id, again.Warning!.Id);
        Assert.Single(await f.Region(District1).Get());

        var raise = new ChangeWarning("req-2", District1Staff, first.Warning.Id, WarningLevel.Yellow, "thicker");
        Assert.Equal(WarningCommandStatus.Ok, (await f.Region(District1).Change(raise)).Status);
        Assert.True((await f.Region(District1).Change(raise)).Replayed);
        var reused = await f.Region(District1).Lift(new LiftWarning("req-2", District1Staff, first.Warning.Id, "gone"));
        Assert.Equal((WarningCommandStatus.Conflict, "requestId"), (reused.Status, reused.Field));
        Assert.Equal(2, (await f.Region(District1).History()).Count);
        Assert.Equal(2, f.Publisher.Published.Count);
    }

    [Fact]
    public async Task HistoryRecordsWhoWhenFromToAndWhy()
    {
        await using var f = await StartAsync();
        var t0 = f.Time.GetUtcNow();
        var w = (await f.IssueAsync(District1, District1Staff, WarningLevel.Yellow, "heavy rain")).Warning!;
        f.Time.Advance(TimeSpan.FromMinutes(30));
        await f.ChangeAsync(District1, CityStaff, w.Id, WarningLevel.Red, "flooding");
        f.Time.Advance(TimeSpan.FromMinutes(30));
        await f.ChangeAsync(District1, District1Staff, w.Id, WarningLevel.Blue, "receding");
        f.Time.Advance(TimeSpan.FromMinutes(30));
        await f.LiftAsync(District1, District1Staff, w.Id, "all clear");

        var history = await f.Region(District1).History();
        Assert.Equal(
            [
                (WarningAction.Issued, "d1", t0, (WarningLevel?)null, (WarningLevel?)WarningLevel.Yellow, "heavy rain"),
                (WarningAction.Raised, "city", t0.AddMinutes(30), WarningLevel.Yellow, WarningLevel.Red, "flooding"),
                (WarningAction.Lowered, "d1", t0.AddMinutes(60), WarningLevel.Red, WarningLevel.Blue, "receding"),
                (WarningAction.Lifted, "d1", t0.AddMinutes(90), WarningLevel.Blue, null, "all clear"),
            ],
            history.Select(h => (h.Action, h.By, h.At, h.From, h.To, h.Reason)));
        Assert.Empty(await f.Region(District1).Get());
    }

    [Fact]
    public async Task WarningsAndHistorySurviveARestart()
    {
        using var dir = new TestSupport.TempDirectory();
        string id;
        await using (var f = await StartAsync(sqliteDirectory: dir.Path))
        {
            id = (await f.IssueAsync(District1, District1Staff, WarningLevel.Yellow)).Warning!.Id;
        }
        await using var again = await StartAsync(sqliteDirectory: dir.Path);
        Assert.Equal(id, (await again.Region(District1).Highest())!.Id);
        Assert.Single(await again.Region(District1).History());
        Assert.Equal(WarningLevel.Yellow, await again.EffectiveAsync(Grid111));
    }

    [Fact]
    public async Task AfterARestartTheRetainedWarningsArePublishedAgainForRegionsWithActiveWarningsOnly()
    {
        using var dir = new TestSupport.TempDirectory();
        await using (var f = await StartAsync(sqliteDirectory: dir.Path))
        {
            await f.IssueAsync(District1, District1Staff, WarningLevel.Yellow, "rain");
            var lifted = (await f.IssueAsync(District2, District2Staff, WarningLevel.Blue)).Warning!;
            await f.LiftAsync(District2, District2Staff, lifted.Id);
            await f.IssueAsync(Street11, Street11Staff, WarningLevel.Blue, "fog");
            Assert.Equal([District1.Code, Street11.Code],
                await f.Grains.GetGrain<IWarningRegistryGrain>(IWarningRegistryGrain.Key).ActiveRegions());
        }
        await using var again = await StartAsync(sqliteDirectory: dir.Path);
        await again.Host.Services.GetRequiredService<WarningRepublisher>().Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(
            [(District1.Code, (WarningLevel?)WarningLevel.Yellow), (Street11.Code, WarningLevel.Blue)],
            again.Publisher.Published.Select(p => (p.Code, p.Signal?.Level)).Order());
    }

    [Fact]
    public async Task TheRegionsHighestWarningIsPublishedRetainedAndClearedWhenNoneIsLeft()
    {
        await using var f = await StartAsync();
        var yellow = (await f.IssueAsync(District1, District1Staff, WarningLevel.Yellow, "rain")).Warning!;
        var blue = (await f.IssueAsync(District1, District1Staff, WarningLevel.Blue, "fog")).Warning!; // not the highest: nothing published
        await f.ChangeAsync(District1, CityStaff, yellow.Id, WarningLevel.Red, "flooding");
        await f.LiftAsync(District1, CityStaff, yellow.Id);          // blue becomes the highest
        await f.LiftAsync(District1, District1Staff, blue.Id);       // none left: cleared

        var published = f.Publisher.Published;
        Assert.All(published, p => Assert.Equal(District1.Code, p.Code));
        Assert.Equal(
            [(WarningLevel?)WarningLevel.Yellow, WarningLevel.Red, WarningLevel.Blue, null],
            published.Select(p => p.Signal?.Level));
        var red = published[1].Signal!;
        Assert.Equal((yellow.Id, "d1", "flooding", District1.Code), (red.WarningId, red.IssuedBy, red.Reason, red.Code));
    }

    [Fact]
    public async Task EveryChangeGoesToTheLiveFeedWithTheRegionsScopesAndSubtreePrefix()
    {
        await using var f = await StartAsync();
        var w = (await f.IssueAsync(CityNode, CityStaff, WarningLevel.Orange)).Warning!;
        await f.LiftAsync(CityNode, CityStaff, w.Id);
        var updates = f.Feed.Of<WarningUpdate>();
        Assert.Equal(["Issued", "Lifted"], updates.Select(u => u.Action));
        Assert.Equal([CityNode.Code], updates[0].Scopes);
        Assert.Equal(CityNode.Code[..4], updates[0].SubtreePrefix);
        Assert.False(updates[1].Active);
        Assert.Equal(WarningLevel.Orange, updates[1].Level);
    }
}
