using System.Globalization;
using GridGov.Realtime.Actors.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Silo.Devices;

/// <summary>Devices in the shared SQLite file (migration "devices" v1); writes go through the group-commit writer.</summary>
public sealed class SqliteDeviceCredentialStore(SqliteDatabase database) : IDeviceCredentialStore
{
    public static SqliteMigration Migration { get; } = new("devices", 1, "device credentials", """
        CREATE TABLE IF NOT EXISTS devices(
            device_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('terminal', 'sensor')),
            secret_hash TEXT NOT NULL,
            region_code TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT NULL);
        CREATE INDEX IF NOT EXISTS devices_kind ON devices(kind, device_id);
        """);

    private const string Columns = "device_id, kind, secret_hash, region_code, created_at, revoked_at";

    public Task<DeviceCredential?> FindAsync(string deviceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM devices WHERE device_id = $id";
            command.Parameters.AddWithValue("$id", deviceId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRow(reader) : null;
        }));

    public async Task<IReadOnlyList<string>> AddAllAsync(IReadOnlyList<DeviceCredential> devices, CancellationToken cancellationToken = default)
    {
        try
        {
            return await database.WriteAsync<IReadOnlyList<string>>(context =>
            {
                var existing = new List<string>();
                foreach (var d in devices)
                {
                    var check = context.Command("SELECT 1 FROM devices WHERE device_id = $id");
                    check.Parameters.AddWithValue("$id", d.DeviceId);
                    if (check.ExecuteScalar() is not null) existing.Add(d.DeviceId);
                }
                if (existing.Count > 0) return existing;
                foreach (var d in devices)
                {
                    var insert = context.Command($"INSERT INTO devices({Columns}) VALUES($id, $kind, $hash, $region, $created, NULL)");
                    insert.Parameters.AddWithValue("$id", d.DeviceId);
                    insert.Parameters.AddWithValue("$kind", DeviceKinds.Name(d.Kind));
                    insert.Parameters.AddWithValue("$hash", d.SecretHash);
                    insert.Parameters.AddWithValue("$region", d.RegionCode);
                    insert.Parameters.AddWithValue("$created", Format(d.CreatedAt));
                    insert.ExecuteNonQuery();
                }
                return existing;
            });
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // A duplicate inside the same list (the callers reject those first): the savepoint rolled every row back.
            return [.. devices.GroupBy(d => d.DeviceId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        }
    }

    public Task<(IReadOnlyList<DeviceCredential> Items, int Total)> ListAsync(DeviceKind? kind, int offset, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Read<(IReadOnlyList<DeviceCredential>, int)>(connection =>
        {
            var where = kind is null ? "" : "WHERE kind = $kind";
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM devices {where}";
            using var page = connection.CreateCommand();
            page.CommandText = $"SELECT {Columns} FROM devices {where} ORDER BY device_id LIMIT $limit OFFSET $offset";
            if (kind is { } k)
            {
                count.Parameters.AddWithValue("$kind", DeviceKinds.Name(k));
                page.Parameters.AddWithValue("$kind", DeviceKinds.Name(k));
            }
            page.Parameters.AddWithValue("$limit", limit);
            page.Parameters.AddWithValue("$offset", offset);
            var total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            var items = new List<DeviceCredential>();
            using var reader = page.ExecuteReader();
            while (reader.Read()) items.Add(ReadRow(reader));
            return (items, total);
        }));

    public Task<bool> RevokeAsync(string deviceId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context =>
        {
            var command = context.Command("UPDATE devices SET revoked_at = $at WHERE device_id = $id AND revoked_at IS NULL");
            command.Parameters.AddWithValue("$id", deviceId);
            command.Parameters.AddWithValue("$at", Format(at));
            return command.ExecuteNonQuery() == 1;
        });

    private static DeviceCredential ReadRow(SqliteDataReader reader) => new(
        reader.GetString(0),
        // An unknown kind edited in by hand is refused by the CHECK; read anything else as the narrower sensor ACL.
        reader.GetString(1) == DeviceKinds.Terminal ? DeviceKind.Terminal : DeviceKind.Sensor,
        reader.GetString(2),
        reader.GetString(3),
        Parse(reader.GetString(4)),
        reader.IsDBNull(5) ? null : Parse(reader.GetString(5)));

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
