using GridGov.Realtime.Grains.Intake;

namespace GridGov.Realtime.Grains.Tests.Intake;

public sealed class VerifierChoiceTests
{
    private const double Lat = 31.2;
    private const double Lon = 121.4;
    private const double Metre = 1 / 111_195.0;

    private static VerifierCandidate At(string id, double northMetres, bool onDuty = true, bool assigned = false) =>
        new(id, onDuty, Lat + northMetres * Metre, Lon, assigned);

    [Fact]
    public void The_nearest_on_duty_worker_is_chosen_over_nearer_off_duty_ones()
    {
        var pick = VerifierChoice.Choose(Lat, Lon, [At("far", 80), At("off", 5, onDuty: false, assigned: true), At("near", -30)]);
        Assert.Equal("near", pick!.WorkerId);
        Assert.False(pick.Fallback);
        Assert.Equal(30, pick.DistanceMetres!.Value, 0);
        Assert.Contains("30 m", pick.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_anyone_on_duty_an_assigned_worker_is_the_fallback_and_strangers_are_not()
    {
        var pick = VerifierChoice.Choose(Lat, Lon, [At("passer-by", 1, onDuty: false), new VerifierCandidate("b", false, null, null, true), At("a", 60, onDuty: false, assigned: true)]);
        Assert.Equal(("a", true), (pick!.WorkerId, pick.Fallback));

        var noFix = VerifierChoice.Choose(Lat, Lon, [new VerifierCandidate("z", false, null, null, true), new VerifierCandidate("y", false, null, null, true)]);
        Assert.Equal("y", noFix!.WorkerId);
    }

    [Fact]
    public void With_no_candidate_nobody_is_chosen() =>
        Assert.Null(VerifierChoice.Choose(Lat, Lon, [At("passer-by", 1, onDuty: false)]));

    [Fact]
    public void Ties_and_reports_without_a_point_break_on_worker_id_whatever_the_order()
    {
        Assert.Equal("a", VerifierChoice.Choose(Lat, Lon, [At("b", 10), At("a", -10)])!.WorkerId);
        Assert.Equal("a", VerifierChoice.Choose(null, null, [At("b", 10), At("a", 900)])!.WorkerId);
    }
}
