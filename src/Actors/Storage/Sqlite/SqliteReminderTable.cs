namespace GridGov.Realtime.Actors.Storage.Sqlite;

internal sealed class SqliteReminderTable(SqliteDatabase database) : IReminderTable
{
    public Task<IReadOnlyList<ReminderRow>> ReadAllAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Read<IReadOnlyList<ReminderRow>>(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT grain_type, grain_key, name, due_at_ms, period_ms FROM reminders";
            using var r = cmd.ExecuteReader();
            var rows = new List<ReminderRow>();
            while (r.Read())
            {
                rows.Add(new ReminderRow(
                    new GrainId(r.GetString(0), r.GetString(1)), r.GetString(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
                    r.IsDBNull(4) ? null : TimeSpan.FromMilliseconds(r.GetInt64(4))));
            }
            return rows;
        }));

    public Task UpsertAsync(ReminderRow row, CancellationToken cancellationToken = default) =>
        database.WriteAsync(ctx =>
        {
            var cmd = ctx.Command("""
                INSERT INTO reminders VALUES ($t, $k, $n, $d, $p)
                ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET due_at_ms = excluded.due_at_ms, period_ms = excluded.period_ms
                """);
            cmd.Parameters.AddWithValue("$t", row.GrainId.Type);
            cmd.Parameters.AddWithValue("$k", row.GrainId.Key);
            cmd.Parameters.AddWithValue("$n", row.Name);
            cmd.Parameters.AddWithValue("$d", row.DueAt.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$p", row.Period is { } p ? (long)p.TotalMilliseconds : DBNull.Value);
            return cmd.ExecuteNonQuery();
        });

    public Task DeleteHandledAsync(IReadOnlyList<ReminderKey> handled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handled);
        // One group-commit write for the whole batch: one savepoint and one prepared statement instead of one of each per row.
        return database.WriteAsync(ctx =>
        {
            foreach (var key in handled)
            {
                var cmd = ctx.Command(DeleteIfDue);
                cmd.Parameters.AddWithValue("$t", key.GrainId.Type);
                cmd.Parameters.AddWithValue("$k", key.GrainId.Key);
                cmd.Parameters.AddWithValue("$n", key.Name);
                cmd.Parameters.AddWithValue("$d", key.DueAt.ToUnixTimeMilliseconds());
                cmd.ExecuteNonQuery();
            }
            return handled.Count;
        });
    }

    private const string DeleteIfDue = "DELETE FROM reminders WHERE grain_type = $t AND grain_key = $k AND name = $n AND due_at_ms = $d";

    public Task DeleteAsync(GrainId grainId, string name, DateTimeOffset? onlyIfDueAt = null, CancellationToken cancellationToken = default) =>
        database.WriteAsync(ctx =>
        {
            var cmd = ctx.Command(onlyIfDueAt is null
                ? "DELETE FROM reminders WHERE grain_type = $t AND grain_key = $k AND name = $n"
                : DeleteIfDue);
            cmd.Parameters.AddWithValue("$t", grainId.Type);
            cmd.Parameters.AddWithValue("$k", grainId.Key);
            cmd.Parameters.AddWithValue("$n", name);
            if (onlyIfDueAt is { } d) cmd.Parameters.AddWithValue("$d", d.ToUnixTimeMilliseconds());
            return cmd.ExecuteNonQuery();
        });
}
