using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Categories;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>
/// The <c>case_summaries</c> table (migration module "cases_read", applied after "cases" because modules
/// run in name order). Rows are clustered by region code and report time, so the statistics of a region
/// over a period read one contiguous key range; <c>case_id</c> has its own unique index for the projection.
/// Times are Unix milliseconds; enums are stored by name.
/// </summary>
public static class CaseSummaryTable
{
    public const string Module = "cases_read";

    /// <summary>The flag row that asks the start-up catch-up to rebuild the table from the event store.</summary>
    public const string RebuildFlag = "case_summaries";

    public static SqliteMigration Migration { get; } = new(Module, 1, "case read model (listing and statistics)", $"""
        CREATE TABLE case_summaries (
            region_code        TEXT    NOT NULL,
            reported_at_ms     INTEGER NOT NULL,
            case_id            TEXT    NOT NULL,
            version            INTEGER NOT NULL,
            status             TEXT    NOT NULL,
            is_open            INTEGER NOT NULL,
            kind               TEXT    NOT NULL,
            category           TEXT    NOT NULL,
            urgency            TEXT    NOT NULL,
            department         TEXT    NULL,
            reported_by        TEXT    NOT NULL,
            verified_by        TEXT    NULL,
            checked_by         TEXT    NULL,
            filed_at_ms        INTEGER NULL,
            dispatched_at_ms   INTEGER NULL,
            handled_at_ms      INTEGER NULL,
            closed_at_ms       INTEGER NULL,
            updated_at_ms      INTEGER NOT NULL,
            step               TEXT    NULL,
            deadline_ms        INTEGER NULL,
            yellow_at_ms       INTEGER NULL,
            paused_light       TEXT    NULL,
            needs_verification INTEGER NOT NULL,
            overdue            INTEGER NOT NULL,
            check_on_time      INTEGER NULL,
            rework_count       INTEGER NOT NULL,
            escalated          INTEGER NOT NULL,
            facts              INTEGER NOT NULL,
            PRIMARY KEY (region_code, reported_at_ms, case_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX case_summaries_id ON case_summaries (case_id);
        CREATE INDEX case_summaries_time ON case_summaries (reported_at_ms, case_id);
        CREATE INDEX case_summaries_stats ON case_summaries (region_code, reported_at_ms, facts, department, reported_by, checked_by);
        CREATE INDEX case_summaries_closed ON case_summaries (region_code, closed_at_ms) WHERE closed_at_ms IS NOT NULL;
        CREATE INDEX case_summaries_open ON case_summaries (region_code, overdue, escalated) WHERE is_open = 1;
        CREATE TABLE read_model_rebuilds (name TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        INSERT INTO read_model_rebuilds SELECT '{RebuildFlag}' WHERE EXISTS (SELECT 1 FROM case_events);
        """);

    private const string Columns = """
        region_code, reported_at_ms, case_id, version, status, is_open, kind, category, urgency, department,
        reported_by, verified_by, checked_by, filed_at_ms, dispatched_at_ms, handled_at_ms, closed_at_ms, updated_at_ms,
        step, deadline_ms, yellow_at_ms, paused_light, needs_verification, overdue, check_on_time, rework_count, escalated, facts
        """;

    /// <summary>The columns a <see cref="Read"/> expects, in order.</summary>
    public const string SelectColumns = Columns;

    private static readonly string UpsertSql = $"""
        INSERT OR REPLACE INTO case_summaries ({Columns}) VALUES
        ($region, $reported, $id, $version, $status, $open, $kind, $category, $urgency, $department,
         $reportedBy, $verifiedBy, $checkedBy, $filedAt, $dispatchedAt, $handledAt, $closedAt, $updatedAt,
         $step, $deadline, $yellowAt, $pausedLight, $needsVerification, $overdue, $checkOnTime, $reworkCount, $escalated, $facts)
        """;

    /// <summary>Inserts or replaces the row of <paramref name="s"/> inside a write.</summary>
    public static void Upsert(SqliteWriteContext context, CaseSummary s)
    {
        var command = context.Command(UpsertSql);
        Bind(command.Parameters, s);
        command.ExecuteNonQuery();
    }

    /// <summary>The upsert's SQL, for bulk loaders that prepare their own command and <see cref="Bind"/> each row.</summary>
    public static string UpsertCommandText => UpsertSql;

    /// <summary>Binds the upsert's parameters for one row.</summary>
    public static void Bind(SqliteParameterCollection p, CaseSummary s)
    {
        p.Clear();
        p.AddWithValue("$region", s.RegionCode);
        p.AddWithValue("$reported", s.ReportedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$id", s.CaseId);
        p.AddWithValue("$version", s.Version);
        p.AddWithValue("$status", s.Status.ToString());
        p.AddWithValue("$open", s.IsOpen);
        p.AddWithValue("$kind", s.Kind.ToString());
        p.AddWithValue("$category", s.CategoryCode);
        p.AddWithValue("$urgency", s.Urgency.ToString());
        p.AddWithValue("$department", (object?)s.Department ?? DBNull.Value);
        p.AddWithValue("$reportedBy", s.ReportedBy);
        p.AddWithValue("$verifiedBy", (object?)s.VerifiedBy ?? DBNull.Value);
        p.AddWithValue("$checkedBy", (object?)s.CheckedBy ?? DBNull.Value);
        p.AddWithValue("$filedAt", Ms(s.FiledAt));
        p.AddWithValue("$dispatchedAt", Ms(s.DispatchedAt));
        p.AddWithValue("$handledAt", Ms(s.HandledAt));
        p.AddWithValue("$closedAt", Ms(s.ClosedAt));
        p.AddWithValue("$updatedAt", s.UpdatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$step", (object?)s.Step?.ToString() ?? DBNull.Value);
        p.AddWithValue("$deadline", Ms(s.Deadline));
        p.AddWithValue("$yellowAt", Ms(s.YellowAt));
        p.AddWithValue("$pausedLight", (object?)s.PausedLight?.ToString() ?? DBNull.Value);
        p.AddWithValue("$needsVerification", s.NeedsVerification);
        p.AddWithValue("$overdue", s.Overdue);
        p.AddWithValue("$checkOnTime", s.CheckOnTime is { } c ? c : DBNull.Value);
        p.AddWithValue("$reworkCount", s.ReworkCount);
        p.AddWithValue("$escalated", s.Escalated);
        p.AddWithValue("$facts", (int)s.Facts());
    }

    /// <summary>Reads a row selected with <see cref="SelectColumns"/>.</summary>
    public static CaseSummary Read(SqliteDataReader r)
    {
        var facts = (CaseFacts)r.GetInt32(27);
        return new()
        {
            RegionCode = r.GetString(0),
            ReportedAt = At(r.GetInt64(1)),
            CaseId = r.GetString(2),
            Version = r.GetInt64(3),
            Status = Enum.Parse<CaseStatus>(r.GetString(4)),
            Kind = Enum.Parse<CaseKind>(r.GetString(6)),
            CategoryCode = r.GetString(7),
            Urgency = Enum.Parse<Urgency>(r.GetString(8)),
            Department = r.IsDBNull(9) ? null : r.GetString(9),
            ReportedBy = r.GetString(10),
            VerifiedBy = r.IsDBNull(11) ? null : r.GetString(11),
            CheckedBy = r.IsDBNull(12) ? null : r.GetString(12),
            FiledAt = OptionalAt(r, 13),
            DispatchedAt = OptionalAt(r, 14),
            HandledAt = OptionalAt(r, 15),
            ClosedAt = OptionalAt(r, 16),
            UpdatedAt = At(r.GetInt64(17)),
            Step = r.IsDBNull(18) ? null : Enum.Parse<CaseStep>(r.GetString(18)),
            Deadline = OptionalAt(r, 19),
            YellowAt = OptionalAt(r, 20),
            PausedLight = r.IsDBNull(21) ? null : Enum.Parse<TrafficLight>(r.GetString(21)),
            NeedsVerification = r.GetBoolean(22),
            Overdue = r.GetBoolean(23),
            CheckOnTime = r.IsDBNull(24) ? null : r.GetBoolean(24),
            ReworkCount = r.GetInt32(25),
            Escalated = r.GetBoolean(26),
            PublicReportVerified = facts.HasFlag(CaseFacts.PublicReportVerified),
            HandlingOverdue = facts.HasFlag(CaseFacts.HandlingOverdue),
            EverOverdue = facts.HasFlag(CaseFacts.EverOverdue),
        };
    }

    private static object Ms(DateTimeOffset? at) => at is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? OptionalAt(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : At(r.GetInt64(ordinal));
}
