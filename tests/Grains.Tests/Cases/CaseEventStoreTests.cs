using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Grains.Cases;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GridGov.Realtime.Grains.Tests.Cases.CaseFixtures;

namespace GridGov.Realtime.Grains.Tests.Cases;

public sealed class CaseEventStoreTests
{
    /// <summary>A store of the named kind on its own data; Dispose closes it.</summary>
    private sealed class StoreUnderTest : IAsyncDisposable
    {
        private readonly TempDirectory? _dir;
        private SqliteDatabase? _db;

        private StoreUnderTest(string kind)
        {
            if (kind == "memory")
            {
                Store = new InMemoryCaseEventStore();
                return;
            }
            _dir = new TempDirectory();
            Store = null!;
        }

        public ICaseEventStore Store { get; private set; }

        public static async Task<StoreUnderTest> CreateAsync(string kind)
        {
            var s = new StoreUnderTest(kind);
            if (kind == "sqlite") await s.ReopenAsync();
            return s;
        }

        /// <summary>For SQLite: close the database and open the file again (what a restart sees).</summary>
        public async Task ReopenAsync()
        {
            if (_dir is null) return;
            if (_db is not null) await _db.DisposeAsync();
            _db = new SqliteDatabase(Options.Create(new SqliteStorageOptions { DataDirectory = _dir.Path }), [SqliteCaseEventStore.Migration], NullLogger<SqliteDatabase>.Instance);
            await _db.InitializeAsync(TestContext.Current.CancellationToken);
            Store = new SqliteCaseEventStore(_db);
        }

        public async ValueTask DisposeAsync()
        {
            if (_db is not null) await _db.DisposeAsync();
            SqliteConnection.ClearAllPools();
            _dir?.Dispose();
        }
    }

    public static TheoryData<string> Kinds() => ["memory", "sqlite"];

    private static List<CaseEvent> ClosedCaseEvents() => Flow.To(CaseStatus.Closed).Events;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Appended_events_read_back_with_their_types_and_fields(string kind)
    {
        await using var s = await StoreUnderTest.CreateAsync(kind);
        var events = ClosedCaseEvents();
        Assert.Equal(CaseAppendOutcome.Appended, await s.Store.AppendAsync(CaseId, 0, events[..3], TestContext.Current.CancellationToken));
        Assert.Equal(CaseAppendOutcome.Appended, await s.Store.AppendAsync(CaseId, 3, events[3..], TestContext.Current.CancellationToken));
        await s.ReopenAsync();

        var read = await s.Store.ReadAsync(CaseId, TestContext.Current.CancellationToken);
        Assert.Equal(events.Select(Json), read.Select(Json));
        Assert.Equal(CaseState.Fold(events)!.Version, CaseState.Fold(read)!.Version);
        Assert.IsType<CaseDispatched>(read[2]);
        Assert.Equal("water", ((CaseDispatched)read[2]).Department);
        Assert.Empty(await s.Store.ReadAsync("C20260302999999", TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_stale_expected_version_is_a_conflict_and_writes_nothing(string kind)
    {
        await using var s = await StoreUnderTest.CreateAsync(kind);
        var events = ClosedCaseEvents();
        await s.Store.AppendAsync(CaseId, 0, events[..2], TestContext.Current.CancellationToken);
        // Two writers both saw version 1: the first to append wins.
        var rival = events[1] with { RequestId = "rival" };
        Assert.Equal(CaseAppendOutcome.VersionConflict, await s.Store.AppendAsync(CaseId, 1, [rival], TestContext.Current.CancellationToken));
        Assert.Equal(CaseAppendOutcome.VersionConflict, await s.Store.AppendAsync(CaseId, 0, events[..1], TestContext.Current.CancellationToken));
        Assert.Equal(2, (await s.Store.ReadAsync(CaseId, TestContext.Current.CancellationToken)).Count);
        Assert.Null(await s.Store.FindByRequestIdAsync(CaseId, "rival", TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_request_id_appends_once_and_can_be_found(string kind)
    {
        await using var s = await StoreUnderTest.CreateAsync(kind);
        var events = ClosedCaseEvents();
        await s.Store.AppendAsync(CaseId, 0, events[..2], TestContext.Current.CancellationToken);
        var repeat = events[2] with { RequestId = events[1].RequestId };
        Assert.Equal(CaseAppendOutcome.DuplicateRequest, await s.Store.AppendAsync(CaseId, 2, [repeat], TestContext.Current.CancellationToken));
        Assert.Equal(2, (await s.Store.ReadAsync(CaseId, TestContext.Current.CancellationToken)).Count);
        Assert.Equal(Json(events[1]), Json((await s.Store.FindByRequestIdAsync(CaseId, events[1].RequestId, TestContext.Current.CancellationToken))!));
        Assert.Null(await s.Store.FindByRequestIdAsync(CaseId, "nope", TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Cases_are_listed_by_region_prefix_newest_first(string kind)
    {
        await using var s = await StoreUnderTest.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        foreach (var (id, region) in new[] { ("C20260302000001", "31010400101"), ("C20260302000002", "31010500101"), ("C20260302000003", "31010400202") })
        {
            var e = Workflow.Decide(id, null, Report(Admin, region: region), At(2, 9)).Event!;
            await s.Store.AppendAsync(id, 0, [e], ct);
        }
        Assert.Equal(["C20260302000003", "C20260302000001"], await s.Store.ListCaseIdsAsync("310104", 10, ct));
        Assert.Equal(["C20260302000003", "C20260302000002", "C20260302000001"], await s.Store.ListCaseIdsAsync("", 10, ct));
        Assert.Equal(["C20260302000003"], await s.Store.ListCaseIdsAsync("", 1, ct));
        Assert.Empty(await s.Store.ListCaseIdsAsync("320000", 10, ct));
    }

    [Fact]
    public async Task Events_out_of_sequence_or_for_another_case_are_refused()
    {
        var store = new InMemoryCaseEventStore();
        var events = ClosedCaseEvents();
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(CaseId, 0, events[1..2], TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync("C20260302000009", 0, events[..1], TestContext.Current.CancellationToken));
    }
}
