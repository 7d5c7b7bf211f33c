using System.Buffers;
using System.Text.Json;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Geo;
using NetTopologySuite.Geometries;

namespace GridGov.Realtime.Grains.Directory;

/// <summary>
/// The region tree in the embedded database, table <c>regions</c> (migration module "regions").
/// A replace deletes and re-inserts every row inside one write of the group-commit writer, i.e. one
/// savepoint of one transaction: either all rows of the new tree are committed or none are.
/// </summary>
public sealed class SqliteRegionStore(SqliteDatabase database) : IRegionStore
{
    public static SqliteMigration Migration { get; } = new("regions", 1, "region tree (city to unit grid) with GeoJSON geometry", """
        CREATE TABLE regions (
            code        TEXT    NOT NULL PRIMARY KEY,
            name        TEXT    NOT NULL,
            level       TEXT    NOT NULL CHECK (level IN ('city', 'district', 'street', 'community', 'grid')),
            parent_code TEXT    NULL,
            area_class  INTEGER NULL CHECK (area_class IN (1, 2)),
            area_m2     REAL    NOT NULL,
            geometry    TEXT    NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX regions_parent ON regions (parent_code);
        """);

    public async Task<RegionTree?> LoadAsync(GridCodeScheme scheme, CancellationToken cancellationToken = default)
    {
        await database.InitializeAsync(cancellationToken);
        var nodes = database.Read(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT code, name, level, parent_code, area_class, geometry FROM regions";
            using var reader = cmd.ExecuteReader();
            var list = new List<RegionNode>();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var code = reader.GetString(0);
                if (!RegionLevelNames.TryParse(reader.GetString(2), out var level))
                    throw new InvalidDataException($"Region '{code}' has an unknown level '{reader.GetString(2)}' in the database.");
                var parent = reader.IsDBNull(3) ? null : reader.GetString(3);
                AreaClass? areaClass = reader.IsDBNull(4) ? null : (AreaClass)reader.GetInt32(4);
                list.Add(new RegionNode(code, reader.GetString(1), level, parent, ReadGeometry(code, reader.GetString(5)), areaClass));
            }
            return list;
        });
        if (nodes.Count == 0) return null;
        foreach (var n in nodes)
        {
            if (!scheme.TryValidate(n.Code, n.Level, out var error))
                throw new InvalidDataException($"The saved regions do not fit the configured {scheme.Name} code scheme: {error}");
        }
        return new RegionTree(scheme, nodes);
    }

    public Task ReplaceAsync(RegionTree tree, CancellationToken cancellationToken = default)
    {
        // Serialise geometry before entering the writer, so the shared writer is busy only with SQL.
        var rows = tree.All().Select(static n => (Node: n, Geometry: WriteGeometry(n.Geometry))).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        return database.WriteAsync(ctx =>
        {
            ctx.Command("DELETE FROM regions").ExecuteNonQuery();
            var insert = ctx.Command("""
                INSERT INTO regions (code, name, level, parent_code, area_class, area_m2, geometry)
                VALUES ($code, $name, $level, $parent, $class, $area, $geometry)
                """);
            var code = insert.Parameters.Add("$code", Microsoft.Data.Sqlite.SqliteType.Text);
            var name = insert.Parameters.Add("$name", Microsoft.Data.Sqlite.SqliteType.Text);
            var level = insert.Parameters.Add("$level", Microsoft.Data.Sqlite.SqliteType.Text);
            var parent = insert.Parameters.Add("$parent", Microsoft.Data.Sqlite.SqliteType.Text);
            var areaClass = insert.Parameters.Add("$class", Microsoft.Data.Sqlite.SqliteType.Integer);
            var area = insert.Parameters.Add("$area", Microsoft.Data.Sqlite.SqliteType.Real);
            var geometry = insert.Parameters.Add("$geometry", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var (n, g) in rows)
            {
                code.Value = n.Code;
                name.Value = n.Name;
                level.Value = n.Level.ToWireName();
                parent.Value = (object?)n.ParentCode ?? DBNull.Value;
                areaClass.Value = n.AreaClass is { } ac ? (int)ac : DBNull.Value;
                area.Value = n.AreaM2;
                geometry.Value = g;
                insert.ExecuteNonQuery();
            }
            return rows.Count;
        });
    }

    private static string WriteGeometry(Geometry geometry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) GeoJsonRegionExporter.WriteGeometry(writer, geometry);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Geometry ReadGeometry(string code, string json)
    {
        using var doc = JsonDocument.Parse(json);
        string? problem = null;
        var geometry = GeoJsonGeometryReader.Read(doc.RootElement, (field, message) => problem ??= $"{field}: {message}");
        return geometry ?? throw new InvalidDataException($"Region '{code}' has an unreadable geometry in the database ({problem}).");
    }
}
