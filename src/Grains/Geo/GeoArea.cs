using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Geo;

/// <summary>
/// Areas and distances of lon/lat (WGS 84) geometries in metres.
/// </summary>
/// <remarks>
/// Method: project to a local equirectangular plane tangent at the geometry's envelope-centre
/// latitude φ₀, using the WGS 84 radii of curvature there: x = N(φ₀)·cos φ₀·Δλ, y = M(φ₀)·Δφ
/// (M meridional, N prime-vertical). The planar area is then the lon/lat shoelace area times
/// N·cos φ₀·M·(π/180)². For a unit grid (~100 m across) the error from the scale change across the
/// polygon is ~1e-5 relative; for a 10 km district about 1e-3, well under survey tolerances for
/// the 万米单元网格 (DOMAIN.md §1). Holes are subtracted because the lon/lat area already does.
/// </remarks>
internal static class GeoArea
{
    private const double SemiMajorAxis = 6378137.0;             // WGS 84 a
    private const double EccentricitySquared = 6.69437999014e-3; // WGS 84 e²
    private const double DegToRad = Math.PI / 180.0;

    /// <summary>Metres per degree of longitude and of latitude at <paramref name="latitude"/>.</summary>
    public static (double MetresPerDegLon, double MetresPerDegLat) MetresPerDegree(double latitude)
    {
        var phi = latitude * DegToRad;
        var s = Math.Sin(phi);
        var w = 1 - EccentricitySquared * s * s;
        var n = SemiMajorAxis / Math.Sqrt(w);
        var m = SemiMajorAxis * (1 - EccentricitySquared) / (w * Math.Sqrt(w));
        return (n * Math.Cos(phi) * DegToRad, m * DegToRad);
    }

    /// <summary>Area in m² of a lon/lat geometry (see the class remarks for the method).</summary>
    public static double SquareMetres(Geometry geometry)
    {
        if (geometry.IsEmpty) return 0;
        var env = geometry.EnvelopeInternal;
        return SquareMetres(geometry.Area, (env.MinY + env.MaxY) / 2);
    }

    /// <summary>Converts a lon/lat area in degrees² to m² at latitude <paramref name="latitude"/>.</summary>
    public static double SquareMetres(double squareDegrees, double latitude)
    {
        var (kx, ky) = MetresPerDegree(latitude);
        return squareDegrees * kx * ky;
    }
}
