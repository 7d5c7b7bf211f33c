using System.Text;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Tests.Geo;

namespace GridGov.Realtime.Grains.Tests.Directory;

/// <summary>The small hand-made tree of <see cref="GeoJsonFixtures"/>: city 310100 → 310104 → 310104001 → 310104001001 → grids 01 and 02.</summary>
internal static class DirectoryFixtures
{
    public const string City = "310100", District = "310104", Street = "310104001", Community = "310104001001";
    public const string Grid1 = "31010400100101", Grid2 = "31010400100102";

    public static RegionTree SmallTree()
    {
        var result = new GeoJsonRegionImporter(GridCodeScheme.CjT213).Import(GeoJsonFixtures.Valid());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Tree!;
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public const string WorkersHeader = "worker_id,name,role,region_code,assigned_grids,active\n";
    public const string SensorsHeader = "sensor_id,type,grid_code,lat,lon,active\n";
}
