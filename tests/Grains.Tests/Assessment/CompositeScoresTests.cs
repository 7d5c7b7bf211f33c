using GridGov.Realtime.Grains.Assessment;

namespace GridGov.Realtime.Grains.Tests.Assessment;

public class CompositeScoresTests
{
    [Fact]
    public void Region()
    {
        var c = new CaseCounters { Filed = 4, SupervisionReportsVerified = 1, ShouldClose = 4, Closed = 4, ClosedOnTime = 3 };

        // 监督举报率 1/4 = 25 % → 100 − 25 = 75; 立案数 4 (一类) → 75; 结案率 4/4 = 100; 按期结案率 3/4 = 75.
        // (10×75 + 20×75 + 30×100 + 40×75) / 100 = (750 + 1500 + 3000 + 3000) / 100 = 82.5
        var score = CompositeScores.Region(c, RegionClass.ClassOne);

        Assert.Equal(82.5m, score.Value);
        Assert.Equal(Grade.B, score.Grade);
        Assert.Equal(100m, score.Components.Sum(x => x.Weight)); // 10/20/30/40, not the repo's 70 %
    }

    [Fact]
    public void Department()
    {
        var c = new CaseCounters { Filed = 120, ShouldClose = 100, Closed = 95, ShouldHandle = 100, HandledOnTime = 90, Reworked = 4 };

        // 立案数 120 → 75; 结案率 95; 按时处置率 90; 返工率 4/100 = 4 → 100 − 4 = 96.
        // (10×75 + 30×95 + 30×90 + 30×96) / 100 = (750 + 2850 + 2700 + 2880) / 100 = 91.8
        Assert.Equal(91.8m, CompositeScores.Department(c).Value);
    }

    [Fact]
    public void Supervisor()
    {
        var c = new CaseCounters { Reported = 200, ValidReported = 180, Filed = 150, MissedReports = 6, ShouldVerify = 50, VerifiedOnTime = 45, ShouldCheck = 40, CheckedOnTime = 36 };

        // 有效上报率 180/200 = 90; 漏报率 6/150 = 4 → 96; 按时核实率 45/50 = 90; 按时核查率 36/40 = 90.
        // (40×90 + 20×96 + 20×90 + 20×90) / 100 = (3600 + 1920 + 1800 + 1800) / 100 = 91.2
        Assert.Equal(91.2m, CompositeScores.Supervisor(c).Value);
    }

    [Fact]
    public void Acceptor()
    {
        var c = new CaseCounters { Accepted = 600, VerifyTasksDue = 50, VerifyTasksSentOnTime = 48, CheckTasksDue = 40, CheckTasksSentOnTime = 38 };

        // 受理数 600 → 75; 核实按时派发率 48/50 = 96; 核查按时派发率 38/40 = 95.
        // (25×75 + 40×96 + 35×95) / 100 = (1875 + 3840 + 3325) / 100 = 90.4
        Assert.Equal(90.4m, CompositeScores.Acceptor(c).Value);
    }

    [Fact]
    public void ShiftLeader()
    {
        var c = new CaseCounters { Filed = 200, FiledOnTime = 190, Voided = 10, ClosingStepsDue = 100, ClosingStepsOnTime = 80 };

        // 按时立案率 190/200 = 95; 准确立案率 (200 − 10)/200 = 95; 按时结案率 80/100 = 80.
        // (25×95 + 40×95 + 35×80) / 100 = (2375 + 3800 + 2800) / 100 = 89.75
        var score = CompositeScores.ShiftLeader(c);

        Assert.Equal(89.75m, score.Value);
        Assert.Equal(Grade.B, score.Grade);
    }

    [Fact]
    public void Dispatcher()
    {
        var c = new CaseCounters { Dispatched = 1300, ShouldDispatch = 1300, DispatchedOnTime = 1235, Reworked = 26 };

        // 派遣数 1300 → 90 (受理数 table); 按时派遣率 1235/1300 = 95; 准确派遣率 (1300 − 26)/1300 = 98.
        // (20×90 + 40×95 + 40×98) / 100 = (1800 + 3800 + 3920) / 100 = 95.2
        Assert.Equal(95.2m, CompositeScores.Dispatcher(c).Value);
    }

    [Fact]
    public void NotApplicableTermsAreLeftOutAndWeightsRenormalised()
    {
        // No handling was due, so 按时处置率 is N/A. 立案数 10 → 100; 结案率 8/10 = 80; 返工率 1/10 = 10 → 90.
        // (10×100 + 30×80 + 30×90) / (10 + 30 + 30) = 6100 / 70 = 87.142857… → 87.14
        var c = new CaseCounters { Filed = 10, ShouldClose = 10, Closed = 8, Reworked = 1 };

        var score = CompositeScores.Department(c);

        Assert.Equal(87.14m, score.Published);
        Assert.Null(score.Components.Single(x => x.Name == "按时处置率").Score);
    }

    [Fact]
    public void NothingApplicableGivesNoScoreAndNoGrade()
    {
        var score = CompositeScores.Supervisor(new CaseCounters());

        Assert.Null(score.Value);
        Assert.Null(score.Grade);
        Assert.Equal("N/A", Percent.Display(score.Value));
    }

    [Fact]
    public void LowerIsBetterScoresNeverGoNegative()
    {
        // 漏报率 12/8 = 150 % → max(0, 100 − 150) = 0.
        Assert.Equal(0m, CompositeScores.Supervisor(new CaseCounters { Filed = 8, MissedReports = 12 }).Value);
        Assert.Equal(70m, CompositeScores.LowerIsBetter(30m));
        Assert.Null(CompositeScores.LowerIsBetter(null));
    }
}
