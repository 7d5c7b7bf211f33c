using System.Globalization;
using System.Text;
using GridGov.Realtime.Grains.Geo;
using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// The demo data set: the <see cref="SyntheticCityOptions.Demo"/> city (324 grids) plus matching
/// workers and sensors CSVs in the import formats. Deterministic: same seed → same files.
/// </summary>
/// <remarks>
/// Workers: grid workers (网格员) patrol 1–3 neighbouring grids of one community; responders and
/// department handlers belong to a street, command staff to a district. Sensors sit at a point
/// inside their grid. The CSVs go through the real importers, so they double as format examples.
/// </remarks>
public sealed class DemoCity
{
    private static readonly string[] SensorTypes = ["manhole_cover", "smoke", "water_level", "camera", "noise", "street_light"];

    private DemoCity(SyntheticCity city, string workersCsv, string sensorsCsv, int workers, int sensors)
    {
        City = city;
        WorkersCsv = workersCsv;
        SensorsCsv = sensorsCsv;
        WorkerCount = workers;
        SensorCount = sensors;
    }

    public SyntheticCity City { get; }
    public string WorkersCsv { get; }
    public string SensorsCsv { get; }
    public int WorkerCount { get; }
    public int SensorCount { get; }

    public string ToGeoJson() => City.ToGeoJson();

    public static DemoCity Create(SyntheticCityOptions? options = null)
    {
        var city = SyntheticCity.Generate(options ?? SyntheticCityOptions.Demo);
        var seed = city.Options.Seed;
        var tree = city.Tree;

        var workers = new StringBuilder("worker_id,name,role,region_code,assigned_grids,active\r\n");
        var workerCount = 0;
        string NextWorkerId() => string.Create(CultureInfo.InvariantCulture, $"w{++workerCount:0000}");

        // Grid workers: walk each community's grids, giving each worker the next 1–3 grids, and a
        // second pass so most grids have two patrollers (day and night shift).
        foreach (var pass in new[] { 0, 1 })
        {
            foreach (var community in tree.All().Where(static n => n.Level == RegionLevel.Community))
            {
                var grids = community.Children;
                var i = 0;
                while (i < grids.Count)
                {
                    var take = 1 + (int)((SyntheticCity.Hash(seed, workerCount, pass, 11) + 1) * 1.5); // 1..3
                    take = Math.Min(take, grids.Count - i);
                    var assigned = string.Join(';', grids.Skip(i).Take(take).Select(static g => g.Code));
                    var id = NextWorkerId();
                    AppendRow(workers, id, $"网格员{id[1..]}", WorkerRoles.GridWorker, community.Code, assigned,
                        SyntheticCity.Hash(seed, workerCount, 0, 12) > -0.9 ? "true" : "false");
                    i += take;
                }
            }
        }
        foreach (var street in tree.All().Where(static n => n.Level == RegionLevel.Street))
        {
            var id = NextWorkerId();
            AppendRow(workers, id, $"应急{id[1..]}", WorkerRoles.Responder, street.Code, "", "true");
            id = NextWorkerId();
            AppendRow(workers, id, $"处置{id[1..]}", WorkerRoles.DepartmentHandler, street.Code, "", "true");
        }
        foreach (var district in tree.All().Where(static n => n.Level == RegionLevel.District))
        {
            var id = NextWorkerId();
            AppendRow(workers, id, $"指挥{id[1..]}", WorkerRoles.CommandStaff, district.Code, "", "true");
        }

        var sensors = new StringBuilder("sensor_id,type,grid_code,lat,lon,active\r\n");
        var sensorCount = 0;
        foreach (var grid in tree.Grids)
        {
            var n = 1 + (SyntheticCity.Hash(seed, sensorCount, 0, 13) > 0.3 ? 1 : 0);
            for (var k = 0; k < n; k++)
            {
                var type = SensorTypes[(int)((SyntheticCity.Hash(seed, sensorCount, k, 14) + 1) / 2 * SensorTypes.Length) % SensorTypes.Length];
                var p = InteriorPoint(grid.Geometry, k);
                var id = string.Create(CultureInfo.InvariantCulture, $"s{++sensorCount:0000}");
                sensors.Append(CultureInfo.InvariantCulture, $"{id},{type},{grid.Code},{p.Y:0.000000},{p.X:0.000000},true\r\n");
            }
        }
        return new DemoCity(city, workers.ToString(), sensors.ToString(), workerCount, sensorCount);
    }

    /// <summary>Imports the city, then the workers, then the sensors; throws with the errors if any import fails.</summary>
    public async Task InstallAsync(DirectoryImportService imports, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imports);
        var regions = await imports.ImportRegionsAsync(Encoding.UTF8.GetBytes(ToGeoJson()), cancellationToken: cancellationToken);
        if (!regions.Succeeded) throw new InvalidOperationException("Demo regions rejected: " + string.Join("; ", regions.Errors));
        var w = await imports.ImportWorkersAsync(Encoding.UTF8.GetBytes(WorkersCsv), cancellationToken);
        if (!w.Succeeded) throw new InvalidOperationException("Demo workers rejected: " + string.Join("; ", w.Errors));
        var s = await imports.ImportSensorsAsync(Encoding.UTF8.GetBytes(SensorsCsv), cancellationToken);
        if (!s.Succeeded) throw new InvalidOperationException("Demo sensors rejected: " + string.Join("; ", s.Errors));
    }

    private static void AppendRow(StringBuilder sb, string id, string name, string role, string region, string grids, string active) =>
        sb.Append(CultureInfo.InvariantCulture, $"{id},{name},{role},{region},{grids},{active}\r\n");

    /// <summary>A point well inside the grid: its interior point, or for the second sensor a point between that and the centroid.</summary>
    private static Point InteriorPoint(Geometry grid, int k)
    {
        var p = grid.InteriorPoint;
        if (k == 0) return p;
        var c = grid.Centroid;
        var mid = grid.Factory.CreatePoint(new Coordinate((p.X + c.X) / 2, (p.Y + c.Y) / 2));
        return grid.Contains(mid) ? mid : p;
    }
}
