using System.Text;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Assessment;
using GridGov.Realtime.Grains.Geo;
using GridGov.Realtime.Grains.Live;
using Microsoft.Data.Sqlite;

namespace GridGov.Realtime.Grains.Cases.ReadModel;

/// <summary>
/// Queries over <c>case_summaries</c>: the paged listing, the DOMAIN.md §5 counters of a region, its
/// departments, its people and its sub-regions over a period, the monthly series and the live counts.
/// A region selects every case whose code starts with its significant prefix (<see cref="RegionScopeRule"/>),
/// a key range on the clustered primary key; a period selects cases by report time, half-open [from, to).
/// </summary>
public sealed class CaseReadModel(SqliteDatabase database) : ILiveCaseCounts
{
    // Region codes are digits, and ':' sorts right after '9': [prefix, prefix + ':') is the subtree.
    private const char AfterDigits = ':';

    // The statistics read the narrow covering index (region, report time, facts, department, people) only.
    private const string StatsRange = "FROM case_summaries INDEXED BY case_summaries_stats WHERE region_code >= $lo AND region_code < $hi AND reported_at_ms >= $from AND reported_at_ms < $to";

    public Task<CasePage> ListAsync(CaseListQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Clamp(query.PageSize, 1, CaseListQuery.MaxPageSize);
        return Task.FromResult(database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder($"SELECT {CaseSummaryTable.SelectColumns} FROM case_summaries WHERE region_code >= $lo AND region_code < $hi");
            BindRegion(command, RegionScopeRule.SignificantPrefix(query.RegionCode).ToString());
            if (query.Status is { } status) Filter(sql, command, "status = $status", "$status", status.ToString());
            if (query.CategoryCode is { } category) Filter(sql, command, "category = $category", "$category", category);
            if (query.Department is { } department) Filter(sql, command, "department = $department", "$department", department);
            if (query.From is { } from) Filter(sql, command, "reported_at_ms >= $from", "$from", from.ToUnixTimeMilliseconds());
            if (query.To is { } to) Filter(sql, command, "reported_at_ms < $to", "$to", to.ToUnixTimeMilliseconds());
            if (query.Light is { } light)
            {
                Filter(sql, command, $"{LightSql} = $light", "$light", light.ToString());
                command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            }
            if (query.After is { } after)
            {
                sql.Append(" AND (reported_at_ms < $cms OR (reported_at_ms = $cms AND case_id < $cid))");
                command.Parameters.AddWithValue("$cms", after.ReportedAtMs);
                command.Parameters.AddWithValue("$cid", after.CaseId);
            }
            sql.Append(" ORDER BY reported_at_ms DESC, case_id DESC LIMIT $limit");
            command.Parameters.AddWithValue("$limit", size + 1);
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            var items = new List<CaseSummary>(size + 1);
            while (reader.Read()) items.Add(CaseSummaryTable.Read(reader));
            if (items.Count <= size) return new CasePage(items, null);
            items.RemoveAt(size);
            var last = items[^1];
            return new CasePage(items, new CaseListCursor(last.ReportedAt.ToUnixTimeMilliseconds(), last.CaseId));
        }));
    }

    /// <summary>The counters of everything reported in the region in [from, to).</summary>
    public Task<CaseCounters> RegionCountersAsync(string regionCode, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult(Accumulate("NULL", regionCode, from, to, keyed: false).GetValueOrDefault("", new CaseCounters()));

    /// <summary>Counters per sub-region: cases grouped by the first <paramref name="childCodeLength"/> digits of their code.</summary>
    public Task<IReadOnlyDictionary<string, CaseCounters>> SubRegionCountersAsync(string regionCode, int childCodeLength, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(childCodeLength);
        // Codes shorter than a child's (a case reported on the region itself) belong to no sub-region.
        return Task.FromResult<IReadOnlyDictionary<string, CaseCounters>>(
            Accumulate($"CASE WHEN length(region_code) >= {childCodeLength} THEN substr(region_code, 1, {childCodeLength}) END", regionCode, from, to, keyed: true));
    }

    /// <summary>Counters per professional department the cases were dispatched to (立案数 = cases filed against it).</summary>
    public Task<IReadOnlyDictionary<string, CaseCounters>> DepartmentCountersAsync(string regionCode, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, CaseCounters>>(Accumulate("department", regionCode, from, to, keyed: true));

    /// <summary>
    /// Counters per person as 监督员: reports raised (上报数) and those that met a 立案条件 (有效上报数 = filed), and the
    /// 核查 they did (应核查数, 按时核查数; the last 核查 of each case counts, for whoever did it).
    /// </summary>
    public Task<IReadOnlyDictionary<string, CaseCounters>> WorkerCountersAsync(string regionCode, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, CaseCounters>>(database.Read(connection =>
        {
            var reports = new Dictionary<string, (int Reported, int Valid)>(StringComparer.Ordinal);
            var checks = new Dictionary<string, (int Checked, int OnTime)>(StringComparer.Ordinal);
            using (var command = Command(connection, $"SELECT reported_by, facts & {(int)CaseFacts.Filed}, COUNT(*) {StatsRange} GROUP BY 1, 2", regionCode, from, to))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var r = reports.GetValueOrDefault(reader.GetString(0));
                    var n = reader.GetInt32(2);
                    reports[reader.GetString(0)] = (r.Reported + n, r.Valid + (reader.GetInt32(1) != 0 ? n : 0));
                }
            }
            using (var command = Command(connection, $"SELECT checked_by, facts & {(int)CaseFacts.CheckedOnTime}, COUNT(*) {StatsRange} AND checked_by IS NOT NULL GROUP BY 1, 2", regionCode, from, to))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var c = checks.GetValueOrDefault(reader.GetString(0));
                    var n = reader.GetInt32(2);
                    checks[reader.GetString(0)] = (c.Checked + n, c.OnTime + (reader.GetInt32(1) != 0 ? n : 0));
                }
            }
            var workers = new SortedDictionary<string, CaseCounters>(StringComparer.Ordinal);
            foreach (var person in reports.Keys.Union(checks.Keys))
            {
                var r = reports.GetValueOrDefault(person);
                var c = checks.GetValueOrDefault(person);
                workers[person] = new CaseCounters { Reported = r.Reported, ValidReported = r.Valid, ShouldCheck = c.Checked, CheckedOnTime = c.OnTime };
            }
            return (IReadOnlyDictionary<string, CaseCounters>)workers;
        }));

    /// <summary>Cases reported and cases closed in each period between consecutive <paramref name="boundaries"/> (ascending instants).</summary>
    public Task<IReadOnlyList<(int Reported, int Closed)>> SeriesAsync(string regionCode, IReadOnlyList<DateTimeOffset> boundaries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        if (boundaries.Count < 2) throw new ArgumentException("At least two boundaries are needed.", nameof(boundaries));
        var buckets = boundaries.Count - 1;
        return Task.FromResult<IReadOnlyList<(int, int)>>(database.Read(connection =>
        {
            var reported = Bucketed(connection, "reported_at_ms", "case_summaries_stats", "", regionCode, boundaries);
            var closed = Bucketed(connection, "closed_at_ms", "case_summaries_closed", " AND closed_at_ms IS NOT NULL", regionCode, boundaries);
            return (IReadOnlyList<(int, int)>)[.. Enumerable.Range(0, buckets).Select(i => (reported[i], closed[i]))];
        }));
    }

    /// <summary>Open cases of the region now, and how many of them are overdue or escalated (live counters).</summary>
    public Task<LiveCaseCounts> CountAsync(string regionCode, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), COALESCE(SUM(overdue), 0), COALESCE(SUM(escalated), 0) FROM case_summaries INDEXED BY case_summaries_open WHERE is_open = 1 AND region_code >= $lo AND region_code < $hi";
            BindRegion(command, RegionScopeRule.SignificantPrefix(regionCode).ToString());
            using var reader = command.ExecuteReader();
            reader.Read();
            return new LiveCaseCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
        }));

    // The light the listing filters on, the same rule as CaseSummary.LightAt.
    private const string LightSql = """
        (CASE WHEN step IS NULL THEN NULL
              WHEN deadline_ms IS NULL THEN paused_light
              WHEN overdue = 1 OR deadline_ms < $now THEN 'Red'
              WHEN yellow_at_ms IS NOT NULL AND yellow_at_ms <= $now THEN 'Yellow'
              ELSE 'Green' END)
        """;

    // Sums the facts of the cases in range per key (NULL keys are skipped unless unkeyed). SQLite counts the
    // cases per (key, facts) pair, a few hundred rows at most, and the sums are taken here.
    private Dictionary<string, CaseCounters> Accumulate(string key, string regionCode, DateTimeOffset from, DateTimeOffset to, bool keyed) =>
        database.Read(connection =>
        {
            using var command = Command(connection, $"SELECT {key}, facts, COUNT(*) {StatsRange} GROUP BY 1, 2", regionCode, from, to);
            using var reader = command.ExecuteReader();
            var groups = new Dictionary<string, CaseCountersAccumulator>(StringComparer.Ordinal);
            while (reader.Read())
            {
                if (keyed && reader.IsDBNull(0)) continue;
                var group = keyed ? reader.GetString(0) : "";
                if (!groups.TryGetValue(group, out var sums)) groups[group] = sums = new CaseCountersAccumulator();
                sums.Add((CaseFacts)reader.GetInt32(1), reader.GetInt32(2));
            }
            return groups.ToDictionary(g => g.Key, g => g.Value.ToCounters(), StringComparer.Ordinal);
        });

    // Reads the instants from an index that covers them and counts them into the periods.
    private static int[] Bucketed(SqliteConnection connection, string column, string index, string filter, string regionCode, IReadOnlyList<DateTimeOffset> boundaries)
    {
        var edges = boundaries.Select(b => b.ToUnixTimeMilliseconds()).ToArray();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {column} FROM case_summaries INDEXED BY {index}
            WHERE region_code >= $lo AND region_code < $hi{filter} AND {column} >= $first AND {column} < $last
            """;
        BindRegion(command, RegionScopeRule.SignificantPrefix(regionCode).ToString());
        command.Parameters.AddWithValue("$first", edges[0]);
        command.Parameters.AddWithValue("$last", edges[^1]);
        var counts = new int[edges.Length - 1];
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var at = Array.BinarySearch(edges, reader.GetInt64(0));
            counts[at >= 0 ? at : ~at - 1]++;
        }
        return counts;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string regionCode, DateTimeOffset from, DateTimeOffset to)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        BindRegion(command, RegionScopeRule.SignificantPrefix(regionCode).ToString());
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        return command;
    }

    private static void BindRegion(SqliteCommand command, string prefix)
    {
        command.Parameters.AddWithValue("$lo", prefix);
        command.Parameters.AddWithValue("$hi", prefix + AfterDigits);
    }

    private static void Filter(StringBuilder sql, SqliteCommand command, string condition, string name, object value)
    {
        sql.Append(" AND ").Append(condition);
        command.Parameters.AddWithValue(name, value);
    }
}
