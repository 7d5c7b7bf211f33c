using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Actors.Storage.Sqlite;

/// <summary>Grain state in the embedded database. The ETag is a row version; conditional SQL enforces it.</summary>
internal sealed class SqliteGrainStorage(SqliteDatabase database, TimeProvider timeProvider) : IGrainStorage
{
    private const string Key = "grain_type = $t AND grain_key = $k AND state_name = $n";

    public Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Read(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT etag, payload FROM grain_state WHERE {Key}";
            Bind(cmd, grainId, stateName);
            using var r = cmd.ExecuteReader();
            return r.Read() ? new StoredState((byte[])r.GetValue(1), r.GetInt64(0).ToString(CultureInfo.InvariantCulture)) : null;
        }));

    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var expected = ParseETag(grainId, stateName, expectedETag);
        var bytes = payload.ToArray();
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return database.WriteAsync(ctx =>
        {
            SqliteCommand cmd;
            if (expected is null)
            {
                cmd = ctx.Command("INSERT INTO grain_state VALUES ($t, $k, $n, 1, $p, $u) ON CONFLICT DO NOTHING");
            }
            else
            {
                cmd = ctx.Command($"UPDATE grain_state SET etag = etag + 1, payload = $p, updated_at = $u WHERE {Key} AND etag = $e");
                cmd.Parameters.AddWithValue("$e", expected.Value);
            }
            Bind(cmd, grainId, stateName);
            cmd.Parameters.AddWithValue("$p", bytes);
            cmd.Parameters.AddWithValue("$u", now);
            if (cmd.ExecuteNonQuery() == 0) throw Conflict(ctx, grainId, stateName, expectedETag);
            return ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        });
    }

    public Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var expected = ParseETag(grainId, stateName, expectedETag);
        return database.WriteAsync(ctx =>
        {
            if (expected is null)
            {
                // Clearing what this writer never saw is only fine if there is nothing there.
                if (CurrentETag(ctx, grainId, stateName) is { } actual) throw ETagConflict.For(grainId, stateName, null, actual);
                return 0;
            }
            var cmd = ctx.Command($"DELETE FROM grain_state WHERE {Key} AND etag = $e");
            Bind(cmd, grainId, stateName);
            cmd.Parameters.AddWithValue("$e", expected.Value);
            if (cmd.ExecuteNonQuery() == 0) throw Conflict(ctx, grainId, stateName, expectedETag);
            return 0;
        });
    }

    private static InconsistentStateException Conflict(SqliteWriteContext ctx, GrainId id, string stateName, string? expected) =>
        ETagConflict.For(id, stateName, expected, CurrentETag(ctx, id, stateName));

    private static string? CurrentETag(SqliteWriteContext ctx, GrainId id, string stateName)
    {
        var cmd = ctx.Command($"SELECT etag FROM grain_state WHERE {Key}");
        Bind(cmd, id, stateName);
        return cmd.ExecuteScalar() is long v ? v.ToString(CultureInfo.InvariantCulture) : null;
    }

    private static long? ParseETag(GrainId id, string stateName, string? etag) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw ETagConflict.For(id, stateName, etag, null);

    private static void Bind(SqliteCommand cmd, GrainId id, string stateName)
    {
        cmd.Parameters.AddWithValue("$t", id.Type);
        cmd.Parameters.AddWithValue("$k", id.Key);
        cmd.Parameters.AddWithValue("$n", stateName);
    }
}
