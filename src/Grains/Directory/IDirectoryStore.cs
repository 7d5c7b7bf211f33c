using System.Text.Json;
using GridGov.Realtime.Actors.Storage.Sqlite;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>Where imported workers and sensors are kept between restarts. Each replace is atomic.</summary>
public interface IDirectoryStore
{
    Task<IReadOnlyList<WorkerProfile>> LoadWorkersAsync(CancellationToken cancellationToken = default);
    Task<IReadOnlyList<SensorProfile>> LoadSensorsAsync(CancellationToken cancellationToken = default);
    Task ReplaceWorkersAsync(IReadOnlyList<WorkerProfile> workers, CancellationToken cancellationToken = default);
    Task ReplaceSensorsAsync(IReadOnlyList<SensorProfile> sensors, CancellationToken cancellationToken = default);
}

/// <summary>Keeps workers and sensors in memory (tests, and the host without a database).</summary>
public sealed class InMemoryDirectoryStore : IDirectoryStore
{
    private IReadOnlyList<WorkerProfile> _workers = [];
    private IReadOnlyList<SensorProfile> _sensors = [];

    public Task<IReadOnlyList<WorkerProfile>> LoadWorkersAsync(CancellationToken cancellationToken = default) => Task.FromResult(Volatile.Read(ref _workers));
    public Task<IReadOnlyList<SensorProfile>> LoadSensorsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Volatile.Read(ref _sensors));

    public Task ReplaceWorkersAsync(IReadOnlyList<WorkerProfile> workers, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _workers, workers.ToArray());
        return Task.CompletedTask;
    }

    public Task ReplaceSensorsAsync(IReadOnlyList<SensorProfile> sensors, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _sensors, sensors.ToArray());
        return Task.CompletedTask;
    }
}

/// <summary>
/// Workers and sensors in the embedded database, tables <c>workers</c> and <c>sensors</c> (migration
/// module "directory"). A replace is one write of the group-commit writer: all rows or none.
/// </summary>
public sealed class SqliteDirectoryStore(SqliteDatabase database) : IDirectoryStore
{
    public static SqliteMigration Migration { get; } = new("directory", 1, "grid workers and sensors", """
        CREATE TABLE workers (
            worker_id      TEXT    NOT NULL PRIMARY KEY,
            name           TEXT    NOT NULL,
            role           TEXT    NOT NULL,
            region_code    TEXT    NOT NULL,
            assigned_grids TEXT    NOT NULL,
            active         INTEGER NOT NULL CHECK (active IN (0, 1))
        ) WITHOUT ROWID;
        CREATE INDEX workers_region ON workers (region_code);
        CREATE TABLE sensors (
            sensor_id TEXT    NOT NULL PRIMARY KEY,
            type      TEXT    NOT NULL,
            grid_code TEXT    NOT NULL,
            lat       REAL    NULL,
            lon       REAL    NULL,
            active    INTEGER NOT NULL CHECK (active IN (0, 1))
        ) WITHOUT ROWID;
        CREATE INDEX sensors_grid ON sensors (grid_code);
        """);

    public async Task<IReadOnlyList<WorkerProfile>> LoadWorkersAsync(CancellationToken cancellationToken = default)
    {
        await database.InitializeAsync(cancellationToken);
        return database.Read(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT worker_id, name, role, region_code, assigned_grids, active FROM workers ORDER BY worker_id";
            using var r = cmd.ExecuteReader();
            var list = new List<WorkerProfile>();
            while (r.Read())
            {
                var grids = JsonSerializer.Deserialize(r.GetString(4), DirectoryJsonContext.Default.StringArray) ?? [];
                list.Add(new WorkerProfile(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), grids, r.GetInt64(5) != 0));
            }
            return list;
        });
    }

    public async Task<IReadOnlyList<SensorProfile>> LoadSensorsAsync(CancellationToken cancellationToken = default)
    {
        await database.InitializeAsync(cancellationToken);
        return database.Read(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT sensor_id, type, grid_code, lat, lon, active FROM sensors ORDER BY sensor_id";
            using var r = cmd.ExecuteReader();
            var list = new List<SensorProfile>();
            while (r.Read())
            {
                list.Add(new SensorProfile(r.GetString(0), r.GetString(1), r.GetString(2),
                    r.IsDBNull(3) ? null : r.GetDouble(3), r.IsDBNull(4) ? null : r.GetDouble(4), r.GetInt64(5) != 0));
            }
            return list;
        });
    }

    public Task ReplaceWorkersAsync(IReadOnlyList<WorkerProfile> workers, CancellationToken cancellationToken = default)
    {
        var rows = workers.Select(static w => (w, Grids: JsonSerializer.Serialize(w.AssignedGrids.ToArray(), DirectoryJsonContext.Default.StringArray))).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        return database.WriteAsync(ctx =>
        {
            ctx.Command("DELETE FROM workers").ExecuteNonQuery();
            var insert = ctx.Command("INSERT INTO workers VALUES ($id, $name, $role, $region, $grids, $active)");
            var id = insert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
            var name = insert.Parameters.Add("$name", Microsoft.Data.Sqlite.SqliteType.Text);
            var role = insert.Parameters.Add("$role", Microsoft.Data.Sqlite.SqliteType.Text);
            var region = insert.Parameters.Add("$region", Microsoft.Data.Sqlite.SqliteType.Text);
            var grids = insert.Parameters.Add("$grids", Microsoft.Data.Sqlite.SqliteType.Text);
            var active = insert.Parameters.Add("$active", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var (w, g) in rows)
            {
                id.Value = w.WorkerId;
                name.Value = w.Name;
                role.Value = w.Role;
                region.Value = w.RegionCode;
                grids.Value = g;
                active.Value = w.Active ? 1 : 0;
                insert.ExecuteNonQuery();
            }
            return rows.Count;
        });
    }

    public Task ReplaceSensorsAsync(IReadOnlyList<SensorProfile> sensors, CancellationToken cancellationToken = default)
    {
        var rows = sensors.ToArray();
        cancellationToken.ThrowIfCancellationRequested();
        return database.WriteAsync(ctx =>
        {
            ctx.Command("DELETE FROM sensors").ExecuteNonQuery();
            var insert = ctx.Command("INSERT INTO sensors VALUES ($id, $type, $grid, $lat, $lon, $active)");
            var id = insert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
            var type = insert.Parameters.Add("$type", Microsoft.Data.Sqlite.SqliteType.Text);
            var grid = insert.Parameters.Add("$grid", Microsoft.Data.Sqlite.SqliteType.Text);
            var lat = insert.Parameters.Add("$lat", Microsoft.Data.Sqlite.SqliteType.Real);
            var lon = insert.Parameters.Add("$lon", Microsoft.Data.Sqlite.SqliteType.Real);
            var active = insert.Parameters.Add("$active", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var s in rows)
            {
                id.Value = s.SensorId;
                type.Value = s.Type;
                grid.Value = s.GridCode;
                lat.Value = s.Lat is { } a ? a : DBNull.Value;
                lon.Value = s.Lon is { } o ? o : DBNull.Value;
                active.Value = s.Active ? 1 : 0;
                insert.ExecuteNonQuery();
            }
            return rows.Length;
        });
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class DirectoryJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
