namespace GridGov.Realtime.Grains.Tracking;

/// <summary>Great-circle distance on a sphere of the IUGG mean Earth radius; within 0.5 % of WGS 84 geodesics.</summary>
public static class Haversine
{
    public const double EarthRadiusMetres = 6_371_008.8;
    private const double DegToRad = Math.PI / 180;

    public static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = (lat2 - lat1) * DegToRad;
        var dLon = (lon2 - lon1) * DegToRad;
        var s1 = Math.Sin(dLat / 2);
        var s2 = Math.Sin(dLon / 2);
        var a = s1 * s1 + Math.Cos(lat1 * DegToRad) * Math.Cos(lat2 * DegToRad) * s2 * s2;
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>What the filter decided about a fix.</summary>
public enum FixVerdict
{
    Accepted,
    Duplicate,
    OutOfOrder,
    Implausible,
}

/// <summary>
/// The plausibility filter applied by the worker grain to the live stream and by the track and patrol
/// queries to stored history, so both see the same path. A mutable struct: keep it in a field.
/// </summary>
/// <remarks>
/// Duplicate: same timestamp as the last accepted fix. Out of order: older than it. Implausible: the
/// distance to it, less both accuracy radii, would need a speed above the limit. After
/// <c>resetAfter</c> implausible fixes in a row the next one is accepted as the new reference, so one bad
/// reference fix cannot blind the filter for good.
/// </remarks>
public struct FixFilter(double maxSpeedMetresPerSecond, int resetAfter)
{
    private PositionFix _last;
    private bool _hasLast;
    private int _implausibleRun;

    public readonly bool HasLast => _hasLast;
    public readonly PositionFix Last => _last;

    public FixVerdict Check(in PositionFix fix)
    {
        if (_hasLast)
        {
            if (fix.Ts == _last.Ts) return FixVerdict.Duplicate;
            if (fix.Ts < _last.Ts) return FixVerdict.OutOfOrder;
            var seconds = (fix.Ts - _last.Ts) / 1000.0;
            var metres = Haversine.Metres(_last.Lat, _last.Lon, fix.Lat, fix.Lon) - (_last.Acc ?? 0) - (fix.Acc ?? 0);
            if (metres > maxSpeedMetresPerSecond * seconds && _implausibleRun < resetAfter)
            {
                _implausibleRun++;
                return FixVerdict.Implausible;
            }
        }
        _last = fix;
        _hasLast = true;
        _implausibleRun = 0;
        return FixVerdict.Accepted;
    }
}
