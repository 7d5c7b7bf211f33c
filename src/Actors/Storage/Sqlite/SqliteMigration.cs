namespace GridGov.Realtime.Actors.Storage.Sqlite;

/// <summary>
/// One schema step of one module. Modules (the runtime, auth, cases...) register their own steps;
/// the database applies the missing ones at start-up, in version order, each in its own transaction.
/// </summary>
public sealed record SqliteMigration(string Module, int Version, string Description, string Sql);

internal static class ActorMigrations
{
    public static readonly SqliteMigration[] All =
    [
        new("actors", 1, "grain state and reminders", """
            CREATE TABLE grain_state (
                grain_type TEXT NOT NULL,
                grain_key  TEXT NOT NULL,
                state_name TEXT NOT NULL,
                etag       INTEGER NOT NULL,
                payload    BLOB NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (grain_type, grain_key, state_name)
            ) WITHOUT ROWID;
            CREATE TABLE reminders (
                grain_type TEXT NOT NULL,
                grain_key  TEXT NOT NULL,
                name       TEXT NOT NULL,
                due_at_ms  INTEGER NOT NULL,
                period_ms  INTEGER NULL,
                PRIMARY KEY (grain_type, grain_key, name)
            ) WITHOUT ROWID;
            """),
    ];
}
