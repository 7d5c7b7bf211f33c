using GridGov.Realtime.Grains.Assessment;

namespace GridGov.Realtime.Grains.Tests.Assessment;

public class GradesAndRankingTests
{
    private static readonly AssessmentPeriod March = AssessmentPeriod.Month(2026, 3);

    [Theory]
    [InlineData("100", Grade.A)]
    [InlineData("90", Grade.A)]
    [InlineData("89.99", Grade.B)]
    [InlineData("75", Grade.B)]
    [InlineData("74.99", Grade.C)]
    [InlineData("60", Grade.C)]
    [InlineData("59.99", Grade.D)]
    [InlineData("40", Grade.D)]
    [InlineData("39.99", Grade.E)]
    [InlineData("0", Grade.E)]
    public void GradeBoundaries(string score, Grade grade) =>
        Assert.Equal(grade, Grades.For(decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void GradeFollowsThePublishedScore()
    {
        // 89.995 is published as 90.00, so it must read A, not B.
        Assert.Equal(Grade.A, new CompositeScore(89.995m, []).Grade);
        Assert.Equal(Grade.B, new CompositeScore(89.994m, []).Grade);
    }

    [Fact]
    public void TiesShareARankAndTheNextRankSkips()
    {
        var ranked = Ranking.Rank(
        [
            Entry(AssessedObjectType.Region, "r3", 85m),
            Entry(AssessedObjectType.Region, "r2", 90m),
            Entry(AssessedObjectType.Region, "r4", null),
            Entry(AssessedObjectType.Region, "r1", 90m),
        ]);

        Assert.Equal(["r1:1", "r2:1", "r3:3", "r4:-"], ranked.Select(r => $"{r.Entry.ObjectId}:{r.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"));
        Assert.Equal(Grade.A, ranked[0].Grade);
        Assert.Null(ranked[3].Grade);
    }

    [Fact]
    public void ScoresEqualAtTwoDecimalsTie()
    {
        var ranked = Ranking.Rank([Entry(AssessedObjectType.Supervisor, "a", 87.334m), Entry(AssessedObjectType.Supervisor, "b", 87.333m)]);

        Assert.All(ranked, r => Assert.Equal(1, r.Rank));
    }

    [Fact]
    public void RanksAreWithinEachObjectTypeAndPeriod()
    {
        var ranked = Ranking.Rank(
        [
            Entry(AssessedObjectType.Region, "r1", 80m),
            Entry(AssessedObjectType.Department, "d1", 70m),
            Entry(AssessedObjectType.Region, "r2", 95m, AssessmentPeriod.Month(2026, 4)),
            Entry(AssessedObjectType.Region, "r3", 60m),
        ]);

        Assert.Equal(1, ranked.Single(r => r.Entry.ObjectId == "r1").Rank);
        Assert.Equal(2, ranked.Single(r => r.Entry.ObjectId == "r3").Rank);
        Assert.Equal(1, ranked.Single(r => r.Entry.ObjectId == "d1").Rank);
        Assert.Equal(1, ranked.Single(r => r.Entry.ObjectId == "r2").Rank);
    }

    [Fact]
    public void PeriodsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AssessmentPeriod.Month(2026, 13));
        Assert.Throws<ArgumentOutOfRangeException>(() => AssessmentPeriod.Quarter(2026, 0));
        Assert.Equal(AssessmentPeriod.Quarter(2026, 2), AssessmentPeriod.Quarter(2026, 2));
        Assert.NotEqual(AssessmentPeriod.WholeYear(2026), AssessmentPeriod.Month(2026, 1));
    }

    private static AssessmentEntry Entry(AssessedObjectType type, string id, decimal? score, AssessmentPeriod? period = null) =>
        new(type, id, period ?? March, new CompositeScore(score, []));
}
