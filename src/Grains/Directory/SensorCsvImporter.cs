using System.Globalization;
using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// Reads the sensors CSV, all or nothing: <c>sensor_id,type,grid_code,lat,lon,active</c>.
/// <c>grid_code</c> must be a grid in the installed tree; <c>lat</c>/<c>lon</c> are WGS 84 decimal
/// degrees with '.' as the decimal point, both given or both empty (a sensor without a surveyed position).
/// <c>type</c> is a free label (e.g. manhole_cover, smoke, camera) of 1–64 characters.
/// </summary>
public static class SensorCsvImporter
{
    public static IReadOnlyList<string> Columns { get; } = ["sensor_id", "type", "grid_code", "lat", "lon", "active"];

    public static CsvImportResult<SensorProfile> Import(ReadOnlySpan<byte> utf8Csv, RegionTree? tree)
    {
        var fileErrors = new List<CsvImportError>();
        var table = CsvTable.Open(utf8Csv, Columns, fileErrors);
        if (table is null) return CsvImportResult<SensorProfile>.Failure(fileErrors);

        var scheme = tree?.Scheme ?? GridCodeScheme.CjT213;
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        var sensors = new List<SensorProfile>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            if (table.IsFull) break;
            var errorsBefore = table.Errors.Count;

            var id = table.Get(row, "sensor_id");
            if (!CsvTable.IsValidId(id))
                table.Add(row, "sensor_id", id, "A sensor id is 1–64 letters, digits, '-', '_' or '.' (it becomes part of MQTT topics).");
            else if (!firstLineById.TryAdd(id, row.Line))
                table.Add(row, "sensor_id", id, $"Duplicate sensor id; line {firstLineById[id]} already has it.");

            var type = table.Get(row, "type");
            if (type.Length is 0 or > 64) table.Add(row, "type", type, "Type is required (1–64 characters).");

            var grid = table.Get(row, "grid_code");
            if (!scheme.TryValidate(grid, RegionLevel.Grid, out var err))
                table.Add(row, "grid_code", grid, err);
            else if (tree?.Find(grid) is null)
                table.Add(row, "grid_code", grid, tree is null
                    ? "Unknown grid: no region tree is installed yet; import the regions first."
                    : "Unknown grid: it is not in the installed region tree.");

            var lat = ReadCoordinate(table, row, "lat", 90);
            var lon = ReadCoordinate(table, row, "lon", 180);
            if ((lat.Value is null) != (lon.Value is null) && lat.Ok && lon.Ok)
            {
                var missing = lat.Value is null ? "lat" : "lon";
                table.Add(row, missing, "", "Give both lat and lon, or leave both empty.");
            }

            var activeText = table.Get(row, "active");
            if (!CsvTable.TryParseBool(activeText, out var active))
                table.Add(row, "active", activeText, "Active must be true/false, 1/0 or yes/no.");

            if (table.Errors.Count == errorsBefore) sensors.Add(new SensorProfile(id, type, grid, lat.Value, lon.Value, active));
        }
        return table.Errors.Count > 0 ? CsvImportResult<SensorProfile>.Failure(table.Errors) : CsvImportResult<SensorProfile>.Success(sensors);
    }

    private static (double? Value, bool Ok) ReadCoordinate(CsvTable table, CsvRecord row, string column, double limit)
    {
        var text = table.Get(row, column);
        if (text.Length == 0) return (null, true);
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
            || !double.IsFinite(v))
        {
            table.Add(row, column, text, "Not a number; use decimal degrees with '.' as the decimal point.");
            return (null, false);
        }
        if (Math.Abs(v) > limit)
        {
            table.Add(row, column, text, string.Create(CultureInfo.InvariantCulture, $"Out of range: {column} must be between -{limit} and {limit} (are lat and lon swapped?)."));
            return (null, false);
        }
        return (v, true);
    }
}
