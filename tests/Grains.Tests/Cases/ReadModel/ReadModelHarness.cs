using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.Grains.Cases.ReadModel;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Live;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tests.Cases.ReadModel;

/// <summary>
/// A SQLite file with the case event store and its read model, and a driver that decides commands with the
/// real workflow at chosen instants and appends them through the store (so the projection runs as in the host).
/// </summary>
internal sealed class ReadModelHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly Dictionary<string, CaseState?> _states = new(StringComparer.Ordinal);
    private int _sequence;

    private ReadModelHarness(TempDirectory dir, SqliteDatabase database, CaseSummaryProjection projection, RecordingCountsListener listener)
    {
        _dir = dir;
        Database = database;
        Projection = projection;
        Listener = listener;
        Store = new SqliteCaseEventStore(database, projection);
        ReadModel = new CaseReadModel(database);
    }

    public SqliteDatabase Database { get; }
    public CaseSummaryProjection Projection { get; }
    public RecordingCountsListener Listener { get; }
    public SqliteCaseEventStore Store { get; }
    public CaseReadModel ReadModel { get; }

    public static async Task<ReadModelHarness> StartAsync()
    {
        var listener = new RecordingCountsListener();
        var dir = new TempDirectory();
        var database = new SqliteDatabase(
            Options.Create(new SqliteStorageOptions { DataDirectory = dir.Path }),
            [SqliteCaseEventStore.Migration, CaseSummaryTable.Migration],
            NullLogger<SqliteDatabase>.Instance);
        await database.InitializeAsync(TestContext.Current.CancellationToken);
        var projection = new CaseSummaryProjection(database, CaseFixtures.Workflow.Calendar, NullLogger<CaseSummaryProjection>.Instance, listener);
        return new ReadModelHarness(dir, database, projection, listener);
    }

    /// <summary>Reports a case at <paramref name="at"/> and returns its id.</summary>
    public async Task<string> ReportAsync(DateTimeOffset at, CaseActor? actor = null, string region = CaseFixtures.Region, string category = "0101")
    {
        var id = $"C{at:yyyyMMdd}{++_sequence:D6}";
        var report = CaseFixtures.Report(actor ?? CaseFixtures.Worker, $"report-{id}", region: region) with { CategoryCode = category };
        await DoAsync(id, report, at);
        return id;
    }

    public Task DoAsync(string id, CaseActor actor, CaseCommandKind kind, DateTimeOffset at, string? department = null, bool? confirmed = null) =>
        DoAsync(id, CaseFixtures.Command(actor, kind, note: "note", department: department) with { Confirmed = confirmed }, at);

    public async Task DoAsync(string id, CaseCommand command, DateTimeOffset at)
    {
        var state = _states.GetValueOrDefault(id);
        var decision = CaseFixtures.Workflow.Decide(id, state, command, at);
        Assert.True(decision.Event is not null, $"{command.Kind} on {id}: {decision.Status} {decision.Error}");
        await AppendAsync(id, decision.Event!);
    }

    /// <summary>What the deadline reminder would append at <paramref name="at"/>.</summary>
    public async Task OverdueAsync(string id, DateTimeOffset at)
    {
        var e = CaseFixtures.Workflow.Overdue(_states[id]!, at);
        Assert.NotNull(e);
        await AppendAsync(id, e);
    }

    private async Task AppendAsync(string id, CaseEvent e)
    {
        var state = _states.GetValueOrDefault(id);
        Assert.Equal(CaseAppendOutcome.Appended, await Store.AppendAsync(id, state?.Version ?? 0, [e], TestContext.Current.CancellationToken));
        _states[id] = CaseState.Apply(state, e);
    }

    /// <summary>A patrol report by the worker taken along the main line with a minute per step, ending closed by staff.</summary>
    public async Task<string> ClosedAsync(DateTimeOffset at, string department = "water", string region = CaseFixtures.Region)
    {
        var id = await ReportAsync(at, region: region);
        var t = at;
        await DoAsync(id, CaseFixtures.Staff, CaseCommandKind.File, t = t.AddMinutes(1));
        await DoAsync(id, CaseFixtures.Staff, CaseCommandKind.Dispatch, t = t.AddMinutes(1), department);
        await HandleAndCloseAsync(id, t, department);
        return id;
    }

    public async Task HandleAndCloseAsync(string id, DateTimeOffset t, string department = "water")
    {
        var handler = CaseFixtures.Handler with { UserName = department + "1", Department = department };
        await DoAsync(id, handler, CaseCommandKind.Accept, t = t.AddMinutes(1));
        await DoAsync(id, handler, CaseCommandKind.SubmitFeedback, t = t.AddMinutes(1));
        await DoAsync(id, CaseFixtures.Staff, CaseCommandKind.RequestCheck, t = t.AddMinutes(1));
        await DoAsync(id, CaseFixtures.Worker, CaseCommandKind.PassCheck, t = t.AddMinutes(1));
        await DoAsync(id, CaseFixtures.Staff, CaseCommandKind.Close, t.AddMinutes(1));
    }

    /// <summary>Every row of the read model as its full summary, ordered by case id.</summary>
    public List<CaseSummary> Rows() => Database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {CaseSummaryTable.SelectColumns} FROM case_summaries ORDER BY case_id";
        using var reader = command.ExecuteReader();
        var rows = new List<CaseSummary>();
        while (reader.Read()) rows.Add(CaseSummaryTable.Read(reader));
        return rows;
    });

    public CaseSummary Row(string id) => Rows().Single(r => r.CaseId == id);

    public void Execute(string sql) => Database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    });

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}

internal sealed class RecordingCountsListener : ICaseCountsListener
{
    private readonly Lock _gate = new();
    private readonly List<string> _regions = [];

    public IReadOnlyList<string> Regions { get { lock (_gate) return [.. _regions]; } }

    public void CaseCountsChanged(string regionCode) { lock (_gate) _regions.Add(regionCode); }

    public void Clear() { lock (_gate) _regions.Clear(); }
}
