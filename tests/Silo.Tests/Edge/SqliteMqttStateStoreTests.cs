using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Edge.Persistence;
using GridGov.Realtime.Silo.Edge;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Tests.Edge;

/// <summary>The SQLite store's inbound QoS 2 ids and pending wills across a reopen of the file, and its upgrade from v1.</summary>
public sealed class SqliteMqttStateStoreTests : IDisposable
{
    private static readonly DateTimeOffset Due = new(2026, 5, 1, 8, 1, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    /// <summary>Opens the file with <paramref name="migrations"/>, runs <paramref name="work"/>, closes it (a process lifetime).</summary>
    private async Task<T> WithStoreAsync<T>(SqliteMigration[] migrations, Func<SqliteMqttStateStore, Task<T>> work)
    {
        await using var db = new SqliteDatabase(Options.Create(new SqliteStorageOptions { DataDirectory = _dir.Path }), migrations, NullLogger<SqliteDatabase>.Instance);
        await db.InitializeAsync(Ct);
        return await work(new SqliteMqttStateStore(db));
    }

    private static MqttStoredSession Session(MqttStoredState state, string clientId) => Assert.Single(state.Sessions, s => s.ClientId == clientId);

    [Fact]
    public async Task ADatabaseFromVersion1OpensWithItsSessionsAndThenKeepsQoS2IdsAndWillsAcrossAReopen()
    {
        await WithStoreAsync([SqliteMqttStateStore.V1], async store =>
        {
            await store.SaveSessionAsync("t-9", 300, null);
            return true;
        });

        var will = new MqttStoredMessage([0x30, 0x05, 0x00, 0x01, (byte)'w', (byte)'o', (byte)'k'], Due.AddHours(1));
        var upgraded = await WithStoreAsync(SqliteMqttStateStore.Migrations, async store =>
        {
            var state = await store.LoadAsync(Ct);
            await store.AddInboundQos2Async("t-9", 7);
            await store.AddInboundQos2Async("t-9", 9);
            await store.AddInboundQos2Async("t-9", 9); // a DUP after a restart must not fail the write
            await store.RemoveInboundQos2Async("t-9", 7);
            await store.SaveWillAsync("t-9", will, Due);
            return Session(state, "t-9");
        });
        Assert.Equal((300u, 0, (MqttStoredWill?)null), (upgraded.ExpirySeconds, upgraded.InboundQos2.Count, upgraded.Will));

        var reopened = await WithStoreAsync(SqliteMqttStateStore.Migrations, async store => Session(await store.LoadAsync(Ct), "t-9"));
        Assert.Equal([(ushort)9], reopened.InboundQos2);
        Assert.Equal(Due, reopened.Will!.DueAt);
        Assert.Equal(will.Packet, reopened.Will.Message.Packet);
        Assert.Equal(will.ExpiresAt, reopened.Will.Message.ExpiresAt);

        var deleted = await WithStoreAsync(SqliteMqttStateStore.Migrations, async store =>
        {
            await store.DeleteWillAsync("t-9");
            var withoutWill = Session(await store.LoadAsync(Ct), "t-9");
            await store.DeleteSessionAsync("t-9");
            return (withoutWill.Will, (await store.LoadAsync(Ct)).Sessions.Count);
        });
        Assert.Equal(((MqttStoredWill?)null, 0), deleted);
    }

    [Fact]
    public async Task DeletingASessionDeletesItsQoS2IdsAndItsWill()
    {
        var state = await WithStoreAsync(SqliteMqttStateStore.Migrations, async store =>
        {
            await store.SaveSessionAsync("t-9", 300, Due);
            await store.AddInboundQos2Async("t-9", 1);
            await store.SaveWillAsync("t-9", new MqttStoredMessage([0x30, 0x03, 0x00, 0x01, (byte)'w'], null), Due);
            await store.DeleteSessionAsync("t-9");
            // A session of the same id stored afterwards starts with nothing left over.
            await store.SaveSessionAsync("t-9", 300, null);
            return await store.LoadAsync(Ct);
        });

        var session = Session(state, "t-9");
        Assert.Empty(session.InboundQos2);
        Assert.Null(session.Will);
    }
}
