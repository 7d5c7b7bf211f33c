using GridGov.Realtime.Grains.Assessment;

namespace GridGov.Realtime.Grains.Tests.Assessment;

public class RatesTests
{
    [Fact]
    public void ClosureRateMatchesThePublishedFigure()
    {
        // 911 / 972 × 100 = 93.7242798… → 93.72 % (DOMAIN.md §5, checked against a city's figures).
        var rate = Rates.Closure(new CaseCounters { Closed = 911, ShouldClose = 972 });

        Assert.Equal(93.72m, Percent.Round(rate));
        Assert.Equal("93.72%", Percent.Display(rate));
        Assert.NotEqual(93.72m, rate); // unrounded until presentation
    }

    [Fact]
    public void ZeroDenominatorIsNotApplicable()
    {
        var nothing = new CaseCounters();

        Assert.Null(Rates.Closure(nothing));
        Assert.Null(Rates.AccurateDispatch(nothing));
        Assert.Null(Rates.OnTimeClosureJinhua(new CaseCounters { ShouldClose = 4, Deferred = 4 }));
        Assert.Equal("N/A", Percent.Display(Rates.OnTimeCheck(nothing)));
    }

    [Fact]
    public void OnTimeClosureAndTheJinhuaVariant()
    {
        var c = new CaseCounters { ShouldClose = 200, ClosedOnTime = 150, Deferred = 50 };

        // 150 / 200 = 75 %.
        Assert.Equal(75m, Rates.OnTimeClosure(c));
        // Jinhua leaves deferred cases out: 150 / (200 − 50) = 100 %.
        Assert.Equal(100m, Rates.OnTimeClosureJinhua(c));
    }

    [Fact]
    public void HandlingReworkAndOverdue()
    {
        var c = new CaseCounters { ShouldHandle = 80, HandledOnTime = 68, HandledOverdue = 12, ShouldClose = 50, Reworked = 3 };

        Assert.Equal(85m, Rates.OnTimeHandling(c));   // 68 / 80 = 0.85
        Assert.Equal(15m, Rates.Overdue(c));          // 12 / 80 = 0.15
        Assert.Equal(6m, Rates.Rework(c));            // 3 / 50 = 0.06
    }

    [Fact]
    public void ReportingAndFiling()
    {
        var c = new CaseCounters
        {
            Reported = 400, ValidReported = 360, Filed = 300, FiledOnTime = 297, Voided = 6,
            MissedReports = 9, SupervisionReportsVerified = 15,
        };

        Assert.Equal(90m, Rates.ValidReport(c));          // 360 / 400
        Assert.Equal(83.33m, Percent.Round(Rates.Filing(c))); // 300 / 360 = 83.333…
        Assert.Equal(3m, Rates.MissedReport(c));          // 9 / 300
        Assert.Equal(5m, Rates.SupervisionReport(c));     // 15 / 300
        Assert.Equal(99m, Rates.OnTimeFiling(c));         // 297 / 300
        Assert.Equal(98m, Rates.AccurateFiling(c));       // (300 − 6) / 300 = 294 / 300
    }

    [Fact]
    public void VerificationCheckAndDispatch()
    {
        var c = new CaseCounters
        {
            ShouldVerify = 40, VerifiedOnTime = 38, ShouldCheck = 25, CheckedOnTime = 24,
            ShouldDispatch = 500, DispatchedOnTime = 490, Reworked = 10,
            VerifyTasksDue = 8, VerifyTasksSentOnTime = 7, CheckTasksDue = 16, CheckTasksSentOnTime = 12,
            ClosingStepsDue = 3, ClosingStepsOnTime = 2,
        };

        Assert.Equal(95m, Rates.OnTimeVerification(c));       // 38 / 40
        Assert.Equal(96m, Rates.OnTimeCheck(c));              // 24 / 25
        Assert.Equal(98m, Rates.OnTimeDispatch(c));           // 490 / 500
        Assert.Equal(98m, Rates.AccurateDispatch(c));         // (500 − 10) / 500
        Assert.Equal(87.5m, Rates.OnTimeVerifyTaskSending(c)); // 7 / 8
        Assert.Equal(75m, Rates.OnTimeCheckTaskSending(c));   // 12 / 16
        Assert.Equal(66.67m, Percent.Round(Rates.OnTimeClosingStep(c))); // 2 / 3 = 66.666…
    }

    [Fact]
    public void MissedReportsMayExceedFilings()
    {
        // 12 / 8 = 150 %: the public found more than the supervisor filed.
        Assert.Equal(150m, Rates.MissedReport(new CaseCounters { MissedReports = 12, Filed = 8 }));
    }

    [Fact]
    public void ContradictoryCountersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Rates.AccurateDispatch(new CaseCounters { ShouldDispatch = 2, Reworked = 3 }));
        Assert.Throws<ArgumentException>(() => Rates.OnTimeClosureJinhua(new CaseCounters { ShouldClose = 2, Deferred = 3 }));
    }

    [Theory]
    [InlineData("93.725", "93.73%")]  // half away from zero, as 四舍五入
    [InlineData("93.724999", "93.72%")]
    [InlineData("100", "100.00%")]
    public void DisplayRoundsHalfAwayFromZero(string value, string expected) =>
        Assert.Equal(expected, Percent.Display(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}
