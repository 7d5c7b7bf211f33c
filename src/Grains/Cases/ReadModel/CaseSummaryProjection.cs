using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Calendar;
using GridGov.Realtime.Grains.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>
/// Keeps <c>case_summaries</c> in step with the event store: inside every append's transaction it folds
/// the case's whole stream (a handful of rows, read by primary key) into its row, so the row never
/// depends on an earlier row being right, and a rebuild is the same fold over every stream. When a
/// case's live counts change (opened, closed, overdue, escalated) the listener hears of it after commit.
/// </summary>
public sealed partial class CaseSummaryProjection(
    SqliteDatabase database, WorkingCalendar calendar, ILogger<CaseSummaryProjection> logger, ICaseCountsListener? listener = null)
    : ICaseEventProjection
{
    private const string StreamSql = "SELECT payload FROM case_events WHERE case_id = $c ORDER BY seq";
    private const string CountsSql = "SELECT is_open, overdue, escalated FROM case_summaries WHERE case_id = $c";

    // The streams folded last, by case: the next append of a case usually extends the stream it projected last, so
    // the writer (one thread for the whole database) need not read and deserialize it again. An entry is used only
    // when its version is the append's expected version, so one left ahead by a rolled-back batch is never trusted.
    // Touched only inside writes, which the database runs one at a time on its writer.
    private const int MaxCachedStreams = 50_000;
    private readonly Dictionary<string, CachedStream> _streams = new(StringComparer.Ordinal);

    private sealed record CachedStream(long Version, CaseEvent[] Events);

    public Action? Project(SqliteWriteContext context, string caseId, long expectedVersion, IReadOnlyList<CaseEvent> appended)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(appended);
        CaseEvent[] events;
        if (appended.Count > 0 && _streams.TryGetValue(caseId, out var cached) && cached.Version == expectedVersion)
        {
            events = [.. cached.Events, .. appended];
        }
        else
        {
            var read = context.Command(StreamSql);
            read.Parameters.AddWithValue("$c", caseId);
            var list = new List<CaseEvent>();
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read()) list.Add(CaseEventChecks.Deserialize(reader.GetString(0)));
            }
            events = [.. list];
        }
        if (_streams.Count >= MaxCachedStreams) _streams.Clear();
        if (events.Length > 0) _streams[caseId] = new CachedStream(events[^1].Seq, events);
        var summary = CaseSummaries.From(events, calendar) ?? throw new InvalidOperationException($"Case {caseId} has no events to project.");

        var before = context.Command(CountsSql);
        before.Parameters.AddWithValue("$c", caseId);
        (bool Open, bool Overdue, bool Escalated)? old = null;
        using (var reader = before.ExecuteReader())
        {
            if (reader.Read()) old = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2));
        }
        CaseSummaryTable.Upsert(context, summary);

        var counted = (summary.IsOpen, summary.IsOpen && summary.Overdue, summary.IsOpen && summary.Escalated);
        var was = old is { } o ? (o.Open, o.Open && o.Overdue, o.Open && o.Escalated) : (false, false, false);
        if (listener is null || counted == was) return null;
        var region = summary.RegionCode;
        return () => listener.CaseCountsChanged(region);
    }

    /// <summary>Replaces every row with a fresh fold of the event store, in one transaction; returns the number of cases.</summary>
    public async Task<int> RebuildAsync()
    {
        var count = await database.WriteAsync(context =>
        {
            _streams.Clear();
            context.Command("DELETE FROM case_summaries").ExecuteNonQuery();
            var cases = 0;
            var read = context.Command("SELECT case_id, payload FROM case_events ORDER BY case_id, seq");
            using (var reader = read.ExecuteReader())
            {
                var stream = new List<CaseEvent>();
                string? current = null;
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    if (current is not null && id != current) cases += Flush(context, stream);
                    current = id;
                    stream.Add(CaseEventChecks.Deserialize(reader.GetString(1)));
                }
                cases += Flush(context, stream);
            }
            var done = context.Command("DELETE FROM read_model_rebuilds WHERE name = $n");
            done.Parameters.AddWithValue("$n", CaseSummaryTable.RebuildFlag);
            done.ExecuteNonQuery();
            return cases;
        });
        LogRebuilt(logger, count);
        return count;
    }

    /// <summary>Rebuilds when the migration found events from before the read model existed (or a rebuild was requested).</summary>
    public async Task<bool> RebuildIfRequestedAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken);
        var requested = database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM read_model_rebuilds WHERE name = $n";
            command.Parameters.AddWithValue("$n", CaseSummaryTable.RebuildFlag);
            return (long)command.ExecuteScalar()! > 0;
        });
        if (requested) await RebuildAsync();
        return requested;
    }

    private int Flush(SqliteWriteContext context, List<CaseEvent> stream)
    {
        if (stream.Count == 0) return 0;
        CaseSummaryTable.Upsert(context, CaseSummaries.From(stream, calendar)!);
        stream.Clear();
        return 1;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt the case read model from the event store: {Count} cases")]
    private static partial void LogRebuilt(ILogger logger, int count);
}

/// <summary>Start-up catch-up: runs a requested rebuild before the host serves requests. Register after the actor runtime.</summary>
internal sealed class CaseReadModelCatchUp(CaseSummaryProjection projection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => projection.RebuildIfRequestedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
