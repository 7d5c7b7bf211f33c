using GridGov.Realtime.Grains.Tracking;

namespace GridGov.Realtime.Grains.Intake;

/// <summary>A grid worker who might verify a report: whether they are on duty now, where they last were, whether the grid is theirs.</summary>
public sealed record VerifierCandidate(string WorkerId, bool OnDuty, double? Lat, double? Lon, bool AssignedToGrid);

/// <summary>Who was chosen and why (the why goes into the case's audit trail).</summary>
public sealed record VerifierPick(string WorkerId, string Reason, double? DistanceMetres, bool Fallback = false);

/// <summary>
/// Picks the worker to verify a report (核实, DOMAIN.md §3 step 1). Pure. First choice: the nearest on-duty worker
/// (reporting and on duty) among those inside the grid or assigned to it, by their last fix. Fallback: one of the
/// grid's assigned workers even if off duty or offline (nearest last fix, else lowest id), since the grid is theirs
/// and the task waits on their terminal. None: null, and the report stays with the dispatcher.
/// Ties break on worker id, so the answer does not depend on the order candidates were gathered in.
/// </summary>
public static class VerifierChoice
{
    public static VerifierPick? Choose(double? lat, double? lon, IEnumerable<VerifierCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var all = candidates.DistinctBy(c => c.WorkerId, StringComparer.Ordinal).ToList();
        if (Nearest(lat, lon, all.Where(c => c.OnDuty)) is { } onDuty)
            return new VerifierPick(onDuty.Worker.WorkerId, Describe("nearest on-duty grid worker", onDuty.Distance), onDuty.Distance);
        if (Nearest(lat, lon, all.Where(c => c.AssignedToGrid)) is { } assigned)
            return new VerifierPick(assigned.Worker.WorkerId, Describe("no grid worker on duty here; the grid's assigned worker", assigned.Distance), assigned.Distance, Fallback: true);
        return null;
    }

    private static (VerifierCandidate Worker, double? Distance)? Nearest(double? lat, double? lon, IEnumerable<VerifierCandidate> pool)
    {
        (VerifierCandidate Worker, double? Distance)? best = null;
        foreach (var c in pool)
        {
            double? d = lat is { } la && lon is { } lo && c.Lat is { } cla && c.Lon is { } clo ? Haversine.Metres(la, lo, cla, clo) : null;
            if (best is null || Better(d, c.WorkerId, best.Value.Distance, best.Value.Worker.WorkerId)) best = (c, d);
        }
        return best;
    }

    // A known distance beats an unknown one; then shorter; then the lower id.
    private static bool Better(double? d, string id, double? bestD, string bestId) => (d, bestD) switch
    {
        (not null, null) => true,
        (null, not null) => false,
        ({ } a, { } b) when a != b => a < b,
        _ => string.CompareOrdinal(id, bestId) < 0,
    };

    private static string Describe(string who, double? distance) =>
        distance is { } m ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{who}, {m:0} m away") : who;
}
