using GridGov.Realtime.Grains.Geo;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// Reads the workers CSV, all or nothing: <c>worker_id,name,role,region_code,assigned_grids,active</c>.
/// <c>assigned_grids</c> is a <c>;</c>-separated list of grid codes, each in the installed tree and
/// under the worker's <c>region_code</c> (which must itself be in the tree); <c>role</c> is one of
/// <see cref="WorkerRoles.All"/>; <c>active</c> is true/false, 1/0, yes/no (empty = true).
/// </summary>
public static class WorkerCsvImporter
{
    public static IReadOnlyList<string> Columns { get; } = ["worker_id", "name", "role", "region_code", "assigned_grids", "active"];

    public static CsvImportResult<WorkerProfile> Import(ReadOnlySpan<byte> utf8Csv, RegionTree? tree)
    {
        var fileErrors = new List<CsvImportError>();
        var table = CsvTable.Open(utf8Csv, Columns, fileErrors);
        if (table is null) return CsvImportResult<WorkerProfile>.Failure(fileErrors);

        var scheme = tree?.Scheme ?? GridCodeScheme.CjT213;
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        var workers = new List<WorkerProfile>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            if (table.IsFull) break;
            var errorsBefore = table.Errors.Count;

            var id = table.Get(row, "worker_id");
            if (!CsvTable.IsValidId(id))
                table.Add(row, "worker_id", id, "A worker id is 1–64 letters, digits, '-', '_' or '.' (it becomes part of MQTT topics).");
            else if (!firstLineById.TryAdd(id, row.Line))
                table.Add(row, "worker_id", id, $"Duplicate worker id; line {firstLineById[id]} already has it.");

            var name = table.Get(row, "name");
            if (name.Length == 0) table.Add(row, "name", name, "Name is required.");

            var role = table.Get(row, "role");
            if (!WorkerRoles.IsKnown(role))
                table.Add(row, "role", role, $"Unknown role; use one of {string.Join(", ", WorkerRoles.All)}.");

            var regionCode = table.Get(row, "region_code");
            var regionOk = CheckRegion(table, row, tree, scheme, regionCode);

            var gridsText = table.Get(row, "assigned_grids");
            var grids = new List<string>();
            foreach (var part in gridsText.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!scheme.TryValidate(part, RegionLevel.Grid, out var err))
                    table.Add(row, "assigned_grids", part, err);
                else if (tree?.Find(part) is null)
                    table.Add(row, "assigned_grids", part, "Unknown grid: it is not in the installed region tree.");
                else if (grids.Contains(part, StringComparer.Ordinal))
                    table.Add(row, "assigned_grids", part, "The grid is listed twice.");
                else if (regionOk && !scheme.Covers(regionCode, part))
                    table.Add(row, "assigned_grids", part, $"The grid is not inside the worker's region '{regionCode}'.");
                else
                    grids.Add(part);
            }

            var activeText = table.Get(row, "active");
            if (!CsvTable.TryParseBool(activeText, out var active))
                table.Add(row, "active", activeText, "Active must be true/false, 1/0 or yes/no.");

            if (table.Errors.Count == errorsBefore) workers.Add(new WorkerProfile(id, name, role, regionCode, grids.ToArray(), active));
        }
        return table.Errors.Count > 0 ? CsvImportResult<WorkerProfile>.Failure(table.Errors) : CsvImportResult<WorkerProfile>.Success(workers);
    }

    private static bool CheckRegion(CsvTable table, CsvRecord row, RegionTree? tree, GridCodeScheme scheme, string code)
    {
        if (!scheme.IsValid(code))
        {
            scheme.TryGetLevel(code, out _, out var err);
            table.Add(row, "region_code", code, err ?? "Invalid region code.");
            return false;
        }
        if (tree?.Find(code) is null)
        {
            table.Add(row, "region_code", code, tree is null
                ? "Unknown region: no region tree is installed yet; import the regions first."
                : "Unknown region: it is not in the installed region tree.");
            return false;
        }
        return true;
    }
}

/// <summary>The roles a directory worker can have (a subset of the user roles: admins are users, not field workers).</summary>
public static class WorkerRoles
{
    public const string GridWorker = "grid_worker";
    public const string Responder = "responder";
    public const string DepartmentHandler = "department_handler";
    public const string CommandStaff = "command_staff";

    public static IReadOnlyList<string> All { get; } = [GridWorker, Responder, DepartmentHandler, CommandStaff];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
