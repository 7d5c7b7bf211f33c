using System.Text;
using GridGov.Realtime.Actors.Storage.Sqlite;
using GridGov.Realtime.Silo.Devices;
using GridGov.Realtime.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Silo.Tests.Devices;

public sealed class DeviceStoreTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private SqliteDatabase? _db;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_db is not null) await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<IDeviceCredentialStore> CreateAsync(string kind)
    {
        if (kind == "memory") return new InMemoryDeviceCredentialStore();
        _db = new SqliteDatabase(Options.Create(new SqliteStorageOptions { DataDirectory = _dir.Path }), [SqliteDeviceCredentialStore.Migration], NullLogger<SqliteDatabase>.Instance);
        await _db.InitializeAsync(Ct);
        return new SqliteDeviceCredentialStore(_db);
    }

    private static DeviceCredential Device(string id, DeviceKind kind = DeviceKind.Terminal) =>
        new(id, kind, DeviceSecretHasher.Hash("secret-of-" + id, 1_000), "320508001", T0, null);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task DevicesRoundTripAndRevokeOnce(string kind)
    {
        var store = await CreateAsync(kind);
        Assert.Empty(await store.AddAllAsync([Device("t-1"), Device("s-1", DeviceKind.Sensor), Device("t-2")], Ct));

        var found = await store.FindAsync("t-1", Ct);
        Assert.Equal(Device("t-1") with { SecretHash = found!.SecretHash }, found);
        Assert.True(DeviceSecretHasher.Verify("secret-of-t-1"u8, found.SecretHash));
        Assert.Null(await store.FindAsync("nobody", Ct));

        var (terminals, total) = await store.ListAsync(DeviceKind.Terminal, 0, 1, Ct);
        Assert.Equal(2, total);
        Assert.Equal(["t-1"], terminals.Select(d => d.DeviceId));
        var (all, count) = await store.ListAsync(null, 1, 10, Ct);
        Assert.Equal(3, count);
        Assert.Equal(["t-1", "t-2"], all.Select(d => d.DeviceId));

        Assert.True(await store.RevokeAsync("t-1", T0.AddHours(1), Ct));
        Assert.False(await store.RevokeAsync("t-1", T0.AddHours(2), Ct));
        Assert.False(await store.RevokeAsync("nobody", T0, Ct));
        Assert.Equal(T0.AddHours(1), (await store.FindAsync("t-1", Ct))!.RevokedAt);
        Assert.Null((await store.FindAsync("t-2", Ct))!.RevokedAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task AddingIsAllOrNothingAndIdsAreNeverReused(string kind)
    {
        var store = await CreateAsync(kind);
        await store.AddAllAsync([Device("t-1")], Ct);
        await store.RevokeAsync("t-1", T0, Ct);

        Assert.Equal(["t-1"], await store.AddAllAsync([Device("t-9"), Device("t-1")], Ct));

        Assert.Null(await store.FindAsync("t-9", Ct));
        Assert.Equal(1, (await store.ListAsync(null, 0, 10, Ct)).Total);
    }

    [Fact]
    public void HashesAreSaltedAndOnlyTheRightSecretVerifies()
    {
        var a = DeviceSecretHasher.Hash("the-same-secret!", 1_000);
        var b = DeviceSecretHasher.Hash("the-same-secret!", 1_000);
        Assert.NotEqual(a, b);
        Assert.StartsWith("pbkdf2-sha512$1000$", a, StringComparison.Ordinal);
        Assert.True(DeviceSecretHasher.Verify("the-same-secret!"u8, a));
        Assert.False(DeviceSecretHasher.Verify("the-same-secret?"u8, a));
        Assert.False(DeviceSecretHasher.Verify("the-same-secret!"u8, "plain-text"));
        Assert.False(DeviceSecretHasher.Verify("the-same-secret!"u8, "pbkdf2-sha512$1000$!!$!!"));
        var secret = DeviceSecretHasher.Generate();
        Assert.Equal(43, secret.Length);
        Assert.True(DeviceSecretHasher.Verify(Encoding.UTF8.GetBytes(secret), DeviceSecretHasher.Hash(secret, 10)));
    }

    [Fact]
    public async Task TheCacheVerifiesRepeatedConnectsWithoutTheStoreAndSeesARevokeAtOnce()
    {
        var store = new CountingStore();
        await store.AddAllAsync([Device("t-1")], Ct);
        var time = new FakeTimeProvider(T0);
        var cache = new DeviceCredentialCache(store, time);
        var secret = Encoding.UTF8.GetBytes("secret-of-t-1");

        for (var i = 0; i < 5; i++) Assert.True((await cache.VerifyAsync("t-1", secret, Ct)).SecretMatches);
        Assert.Equal(1, store.Finds);
        Assert.False((await cache.VerifyAsync("t-1", "wrong"u8.ToArray(), Ct)).SecretMatches);
        Assert.Null((await cache.VerifyAsync("nobody", secret, Ct)).Device);

        await store.RevokeAsync("t-1", T0, Ct);
        cache.Revoked((await store.FindAsync("t-1", Ct))!);
        var (device, matches) = await cache.VerifyAsync("t-1", secret, Ct);
        Assert.True(device!.Revoked);
        Assert.False(matches);
    }

    [Fact]
    public async Task TheCacheRereadsTheStoreAfterItsMaximumAge()
    {
        var store = new CountingStore();
        await store.AddAllAsync([Device("t-1")], Ct);
        var time = new FakeTimeProvider(T0);
        var cache = new DeviceCredentialCache(store, time);
        var secret = Encoding.UTF8.GetBytes("secret-of-t-1");
        Assert.True((await cache.VerifyAsync("t-1", secret, Ct)).SecretMatches);

        await store.RevokeAsync("t-1", T0, Ct); // e.g. by the CLI, another process
        time.Advance(DeviceCredentialCache.MaxAge + TimeSpan.FromSeconds(1));

        Assert.True((await cache.VerifyAsync("t-1", secret, Ct)).Device!.Revoked);
    }

    private sealed class CountingStore : IDeviceCredentialStore
    {
        private readonly InMemoryDeviceCredentialStore _inner = new();
        public int Finds;

        public Task<DeviceCredential?> FindAsync(string deviceId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Finds);
            return _inner.FindAsync(deviceId, cancellationToken);
        }

        public Task<IReadOnlyList<string>> AddAllAsync(IReadOnlyList<DeviceCredential> devices, CancellationToken cancellationToken = default) => _inner.AddAllAsync(devices, cancellationToken);
        public Task<(IReadOnlyList<DeviceCredential> Items, int Total)> ListAsync(DeviceKind? kind, int offset, int limit, CancellationToken cancellationToken = default) => _inner.ListAsync(kind, offset, limit, cancellationToken);
        public Task<bool> RevokeAsync(string deviceId, DateTimeOffset at, CancellationToken cancellationToken = default) => _inner.RevokeAsync(deviceId, at, cancellationToken);
    }
}
