using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Silo.Demo;

/// <summary>
/// A simulated grid worker walking their assigned grids: heads for a random point inside one of them
/// at walking pace, picks another on arrival, and drains the battery slowly. Deterministic for a seed.
/// </summary>
internal sealed class WalkingTerminal
{
    private const double MetresPerDegree = 111_320;
    private readonly IReadOnlyList<Geometry> _grids;
    private readonly Random _random;
    private readonly double _speed;
    private (double Lat, double Lon) _target;

    public WalkingTerminal(string workerId, IReadOnlyList<Geometry> grids, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfZero(grids.Count);
        WorkerId = workerId;
        _grids = grids;
        _random = random;
        _speed = 0.8 + random.NextDouble() * 0.8; // 0.8–1.6 m/s: a patrol, not a commute
        (Lat, Lon) = RandomPointIn(grids[0]);
        _target = PickTarget();
        Battery = 60 + random.NextDouble() * 40;
    }

    public string WorkerId { get; }
    public double Lat { get; private set; }
    public double Lon { get; private set; }
    public double Heading { get; private set; }
    public double Speed { get; private set; }
    public double Battery { get; private set; }

    /// <summary>Advances the walk by <paramref name="elapsed"/>.</summary>
    public void Step(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var north = (_target.Lat - Lat) * MetresPerDegree;
        var east = (_target.Lon - Lon) * MetresPerDegree * Math.Cos(Lat * Math.PI / 180);
        var remaining = Math.Sqrt(north * north + east * east);
        var stride = _speed * seconds;
        if (remaining <= stride)
        {
            (Lat, Lon) = _target;
            _target = PickTarget();
        }
        else
        {
            var f = stride / remaining;
            Lat += north * f / MetresPerDegree;
            Lon += east * f / (MetresPerDegree * Math.Cos(Lat * Math.PI / 180));
        }
        Speed = Math.Min(stride, remaining) / Math.Max(seconds, 1e-9);
        Heading = (Math.Atan2(east, north) * 180 / Math.PI + 360) % 360;
        Battery = Math.Max(5, Battery - seconds * 0.0014); // about 5 % an hour
    }

    public void Recharge() => Battery = 100;

    private (double Lat, double Lon) PickTarget() => RandomPointIn(_grids[_random.Next(_grids.Count)]);

    private (double Lat, double Lon) RandomPointIn(Geometry grid)
    {
        var box = grid.EnvelopeInternal;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var lon = box.MinX + _random.NextDouble() * box.Width;
            var lat = box.MinY + _random.NextDouble() * box.Height;
            if (grid.Contains(grid.Factory.CreatePoint(new Coordinate(lon, lat)))) return (lat, lon);
        }
        var inside = grid.InteriorPoint.Coordinate;
        return (inside.Y, inside.X);
    }
}
