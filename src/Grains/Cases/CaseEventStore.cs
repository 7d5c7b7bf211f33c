using System.Collections.Concurrent;
using System.Text.Json;
using GridGov.Realtime.Actors.Storage.Sqlite;

namespace GridGov.Realtime.Grains.Cases;

/// <summary>How an append ended. On anything but <see cref="Appended"/> nothing was written.</summary>
public enum CaseAppendOutcome
{
    Appended,
    /// <summary>The stream is not at the expected version (another writer got there first).</summary>
    VersionConflict,
    /// <summary>An event's request id is already in the stream.</summary>
    DuplicateRequest,
}

/// <summary>
/// The append-only case event log, which is also the audit trail: there is no update or delete.
/// Appends are optimistic: <c>expectedVersion</c> is the last sequence number the writer saw (0 for a
/// new case) and the events must be numbered from expectedVersion + 1.
/// </summary>
public interface ICaseEventStore
{
    Task<CaseAppendOutcome> AppendAsync(string caseId, long expectedVersion, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Every event of the case in sequence order; empty if the case does not exist.</summary>
    Task<IReadOnlyList<CaseEvent>> ReadAsync(string caseId, CancellationToken cancellationToken = default);

    /// <summary>The event a request appended, or null.</summary>
    Task<CaseEvent?> FindByRequestIdAsync(string caseId, string requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of cases whose region code starts with <paramref name="regionPrefix"/> ("" = all), newest first.
    /// A stop-gap for listing until the read models exist.
    /// </summary>
    Task<IReadOnlyList<string>> ListCaseIdsAsync(string regionPrefix, int limit, CancellationToken cancellationToken = default);
}

internal static class CaseEventChecks
{
    public static void Validate(string caseId, long expectedVersion, IReadOnlyList<CaseEvent> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (events.Count == 0) throw new ArgumentException("Nothing to append.", nameof(events));
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!string.Equals(e.CaseId, caseId, StringComparison.Ordinal)) throw new ArgumentException($"Event for case {e.CaseId} appended to {caseId}.", nameof(events));
            if (e.Seq != expectedVersion + 1 + i) throw new ArgumentException($"Event seq {e.Seq} should be {expectedVersion + 1 + i}.", nameof(events));
            if (string.IsNullOrEmpty(e.RequestId)) throw new ArgumentException("Every event needs a request id.", nameof(events));
        }
        if (events.Select(e => e.RequestId).Distinct(StringComparer.Ordinal).Count() != events.Count)
            throw new ArgumentException("Request ids must be unique within a case.", nameof(events));
    }

    public static byte[] Serialize(CaseEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, CasesJsonContext.Default.CaseEvent);

    public static CaseEvent Deserialize(byte[] json) =>
        JsonSerializer.Deserialize(json, CasesJsonContext.Default.CaseEvent) ?? throw new JsonException("A stored case event is null.");

    public static CaseEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, CasesJsonContext.Default.CaseEvent) ?? throw new JsonException("A stored case event is null.");
}

/// <summary>In-process event store (tests, in-memory hosts). Events are stored as JSON, like the SQLite store, so both behave alike.</summary>
public sealed class InMemoryCaseEventStore : ICaseEventStore
{
    private readonly ConcurrentDictionary<string, List<(string RequestId, string RegionCode, byte[] Json)>> _streams = new(StringComparer.Ordinal);

    public Task<CaseAppendOutcome> AppendAsync(string caseId, long expectedVersion, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken = default)
    {
        CaseEventChecks.Validate(caseId, expectedVersion, events);
        var stream = _streams.GetOrAdd(caseId, _ => []);
        lock (stream)
        {
            if (stream.Count != expectedVersion) return Task.FromResult(CaseAppendOutcome.VersionConflict);
            if (events.Any(e => stream.Exists(s => s.RequestId == e.RequestId))) return Task.FromResult(CaseAppendOutcome.DuplicateRequest);
            var region = stream.Count > 0 ? stream[0].RegionCode : (events[0] as CaseReported)?.RegionCode ?? "";
            foreach (var e in events) stream.Add((e.RequestId, region, CaseEventChecks.Serialize(e)));
        }
        return Task.FromResult(CaseAppendOutcome.Appended);
    }

    public Task<IReadOnlyList<CaseEvent>> ReadAsync(string caseId, CancellationToken cancellationToken = default)
    {
        if (!_streams.TryGetValue(caseId, out var stream)) return Task.FromResult<IReadOnlyList<CaseEvent>>([]);
        lock (stream) return Task.FromResult<IReadOnlyList<CaseEvent>>([.. stream.Select(s => CaseEventChecks.Deserialize(s.Json))]);
    }

    public Task<CaseEvent?> FindByRequestIdAsync(string caseId, string requestId, CancellationToken cancellationToken = default)
    {
        if (!_streams.TryGetValue(caseId, out var stream)) return Task.FromResult<CaseEvent?>(null);
        lock (stream)
        {
            var hit = stream.FindIndex(s => s.RequestId == requestId);
            return Task.FromResult(hit < 0 ? null : CaseEventChecks.Deserialize(stream[hit].Json));
        }
    }

    public Task<IReadOnlyList<string>> ListCaseIdsAsync(string regionPrefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regionPrefix);
        var ids = _streams
            .Where(kv => { lock (kv.Value) return kv.Value.Count > 0 && kv.Value[0].RegionCode.StartsWith(regionPrefix, StringComparison.Ordinal); })
            .Select(kv => kv.Key)
            .OrderDescending(StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult<IReadOnlyList<string>>(ids);
    }
}

/// <summary>
/// The case events in the embedded SQLite file (migration module "cases"). Appends go through the
/// group-commit writer, so an acknowledged transition has been committed. The table has no update or
/// delete code path: it is the audit trail. A <paramref name="projection"/> (the case read model) is kept
/// in the same transaction as the append, so no acknowledged event is missing from it.
/// </summary>
public sealed class SqliteCaseEventStore(SqliteDatabase database, ICaseEventProjection? projection = null) : ICaseEventStore
{
    public const string Module = "cases";

    public static SqliteMigration Migration { get; } = new(Module, 1, "case events (audit trail)", """
        CREATE TABLE case_events (
            case_id    TEXT    NOT NULL,
            seq        INTEGER NOT NULL,
            request_id TEXT    NOT NULL,
            type       TEXT    NOT NULL,
            at_ms      INTEGER NOT NULL,
            actor      TEXT    NOT NULL,
            payload    TEXT    NOT NULL,
            PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX case_events_request ON case_events (case_id, request_id);
        """);

    public Task<CaseAppendOutcome> AppendAsync(string caseId, long expectedVersion, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken = default)
    {
        CaseEventChecks.Validate(caseId, expectedVersion, events);
        var rows = events.Select(e => (e, Json: System.Text.Encoding.UTF8.GetString(CaseEventChecks.Serialize(e)))).ToList();
        return AppendAndProjectAsync(caseId, rows, expectedVersion);
    }

    private async Task<CaseAppendOutcome> AppendAndProjectAsync(string caseId, List<(CaseEvent e, string Json)> rows, long expectedVersion)
    {
        Action? committed = null;
        var appended = rows.ConvertAll(r => r.e);
        var outcome = await database.WriteAsync(ctx =>
        {
            var version = ctx.Command("SELECT COALESCE(MAX(seq), 0) FROM case_events WHERE case_id = $c");
            version.Parameters.AddWithValue("$c", caseId);
            if ((long)version.ExecuteScalar()! != expectedVersion) return CaseAppendOutcome.VersionConflict;
            foreach (var (e, _) in rows)
            {
                var dup = ctx.Command("SELECT COUNT(*) FROM case_events WHERE case_id = $c AND request_id = $r");
                dup.Parameters.AddWithValue("$c", caseId);
                dup.Parameters.AddWithValue("$r", e.RequestId);
                if ((long)dup.ExecuteScalar()! > 0) return CaseAppendOutcome.DuplicateRequest;
            }
            foreach (var (e, json) in rows)
            {
                var insert = ctx.Command("INSERT INTO case_events (case_id, seq, request_id, type, at_ms, actor, payload) VALUES ($c, $s, $r, $t, $at, $a, $p)");
                insert.Parameters.AddWithValue("$c", caseId);
                insert.Parameters.AddWithValue("$s", e.Seq);
                insert.Parameters.AddWithValue("$r", e.RequestId);
                insert.Parameters.AddWithValue("$t", e.Type);
                insert.Parameters.AddWithValue("$at", e.At.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$a", e.ActorName);
                insert.Parameters.AddWithValue("$p", json);
                insert.ExecuteNonQuery();
            }
            committed = projection?.Project(ctx, caseId, expectedVersion, appended);
            return CaseAppendOutcome.Appended;
        });
        if (outcome == CaseAppendOutcome.Appended) committed?.Invoke();
        return outcome;
    }

    public Task<IReadOnlyList<CaseEvent>> ReadAsync(string caseId, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Read<IReadOnlyList<CaseEvent>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT payload FROM case_events WHERE case_id = $c ORDER BY seq";
            command.Parameters.AddWithValue("$c", caseId);
            using var reader = command.ExecuteReader();
            var events = new List<CaseEvent>();
            while (reader.Read()) events.Add(CaseEventChecks.Deserialize(reader.GetString(0)));
            return events;
        }));

    public Task<CaseEvent?> FindByRequestIdAsync(string caseId, string requestId, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT payload FROM case_events WHERE case_id = $c AND request_id = $r";
            command.Parameters.AddWithValue("$c", caseId);
            command.Parameters.AddWithValue("$r", requestId);
            return command.ExecuteScalar() is string json ? CaseEventChecks.Deserialize(json) : null;
        }));

    public Task<IReadOnlyList<string>> ListCaseIdsAsync(string regionPrefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regionPrefix);
        // Region codes are digits only, so the prefix holds no LIKE wildcards; the bound is for safety anyway.
        if (regionPrefix.Length > 0 && !CaseWorkflow.IsRegionCode(regionPrefix)) return Task.FromResult<IReadOnlyList<string>>([]);
        return Task.FromResult(database.Read<IReadOnlyList<string>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT case_id FROM case_events
                WHERE seq = 1 AND json_extract(payload, '$.regionCode') LIKE $p || '%'
                ORDER BY case_id DESC LIMIT $n
                """;
            command.Parameters.AddWithValue("$p", regionPrefix);
            command.Parameters.AddWithValue("$n", limit);
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read()) ids.Add(reader.GetString(0));
            return ids;
        }));
    }
}
